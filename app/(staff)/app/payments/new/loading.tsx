import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function RecordPaymentLoading() {
  return <DetailPageSkeleton label="Loading the payment form" />;
}
