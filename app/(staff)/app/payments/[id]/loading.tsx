import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function PaymentLoading() {
  return <DetailPageSkeleton label="Loading payment" />;
}
