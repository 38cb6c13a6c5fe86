import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function MembershipsLoading() {
  return <ListPageSkeleton label="Loading memberships" />;
}
