import { FormPageSkeleton } from "@/components/invoices/page-skeletons";

export default function NewInvoiceLoading() {
  return <FormPageSkeleton label="Loading" />;
}
