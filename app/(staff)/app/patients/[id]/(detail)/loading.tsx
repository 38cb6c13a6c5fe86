import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function PatientLoading() {
  return <DetailPageSkeleton label="Loading patient" />;
}
