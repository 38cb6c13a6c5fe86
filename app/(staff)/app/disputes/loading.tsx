import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function DisputesLoading() {
  return <ListPageSkeleton label="Loading disputes" />;
}
