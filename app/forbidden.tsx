import Link from "next/link";
import { StatusPage } from "@/components/shell/status-page";
import { buttonVariants } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <StatusPage
      code="403"
      title="You don't have access to this page"
      actions={
        <Link href="/app" className={buttonVariants()}>
          Back to the dashboard
        </Link>
      }
    >
      Your role doesn&apos;t include this part of Carebill. If you need it, ask your clinic&apos;s admin.
    </StatusPage>
  );
}
