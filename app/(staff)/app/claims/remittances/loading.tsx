import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function RemittancesLoading() {
  return <ListPageSkeleton label="Loading remittances" />;
}
