import { FormPageSkeleton } from "@/components/invoices/page-skeletons";

export default function NewPatientLoading() {
  return <FormPageSkeleton label="Loading" />;
}
