import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function ClaimLoading() {
  return <DetailPageSkeleton label="Loading claim" />;
}
