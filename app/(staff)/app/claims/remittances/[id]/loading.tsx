import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function RemittanceLoading() {
  return <DetailPageSkeleton label="Loading remittance" />;
}
