import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function ClaimsLoading() {
  return <ListPageSkeleton label="Loading claims" />;
}
