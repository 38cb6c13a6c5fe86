import { ListPageSkeleton } from "@/components/invoices/page-skeletons";

export default function DenialsLoading() {
  return <ListPageSkeleton label="Loading denials" />;
}
