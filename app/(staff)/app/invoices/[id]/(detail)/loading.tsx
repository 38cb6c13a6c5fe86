import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function InvoiceLoading() {
  return <DetailPageSkeleton label="Loading invoice" />;
}
