import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function UnmatchedLoading() {
  return <ListPageSkeleton label="Loading unmatched claim payments" />;
}
