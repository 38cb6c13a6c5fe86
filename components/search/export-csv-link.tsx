import { Download } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";

/** Downloads the list as it is filtered and sorted (a plain link: the browser saves the file). */
export function ExportCsvLink({ href }: { href: string }) {
  return (
    <a href={href} download className={buttonVariants({ variant: "outline", size: "sm" })}>
      <Download aria-hidden="true" /> Export CSV
    </a>
  );
}
