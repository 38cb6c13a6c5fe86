import { FormPageSkeleton } from "@/components/invoices/page-skeletons";

export default function EditInvoiceLoading() {
  return <FormPageSkeleton label="Loading invoice" />;
}
