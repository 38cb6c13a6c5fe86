import { DetailPageSkeleton } from "@/components/invoices/page-skeletons";

export default function MembershipLoading() {
  return <DetailPageSkeleton label="Loading membership" />;
}
