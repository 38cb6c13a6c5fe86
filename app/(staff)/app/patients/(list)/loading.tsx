import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function PatientsLoading() {
  return <ListPageSkeleton label="Loading patients" />;
}
