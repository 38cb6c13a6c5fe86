import { FormPageSkeleton } from "@/components/invoices/page-skeletons";

export default function EditPatientLoading() {
  return <FormPageSkeleton label="Loading patient" />;
}
