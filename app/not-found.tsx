import Link from "next/link";
import { StatusPage } from "@/components/shell/status-page";
import { buttonVariants } from "@/components/ui/button";

export default function NotFound() {
  return (
    <StatusPage
      code="404"
      title="We couldn't find that page"
      actions={
        <Link href="/app" className={buttonVariants()}>
          Go to the dashboard
        </Link>
      }
    >
      The link may be old, or the page may have moved.
    </StatusPage>
  );
}
