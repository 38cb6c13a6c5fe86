import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function InvoicesLoading() {
  return <ListPageSkeleton label="Loading invoices" />;
}
