import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function UnderpaidLoading() {
  return <ListPageSkeleton label="Loading underpaid lines" />;
}
