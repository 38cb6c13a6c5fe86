import { AnalyticsSkeleton } from "@/components/analytics/analytics-skeleton";

export default function AnalyticsLoading() {
  return <AnalyticsSkeleton />;
}
