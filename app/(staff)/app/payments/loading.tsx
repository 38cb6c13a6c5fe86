import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function PaymentsLoading() {
  return <ListPageSkeleton label="Loading payments" />;
}
