import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function VisitLoading() {
  return <DetailPageSkeleton label="Loading visit" />;
}
