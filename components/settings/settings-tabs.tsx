"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils/cn";

/** The tabs; `everyone` ones are shown to billing staff and viewers too (read-only for them). */
const TABS = [
  { href: "/app/settings", label: "Organization", everyone: false },
  { href: "/app/settings/users", label: "Users", everyone: false },
  { href: "/app/settings/api-keys", label: "API keys", everyone: false },
  { href: "/app/settings/autopay", label: "Autopay", everyone: true },
  { href: "/app/settings/practice", label: "Practice", everyone: true },
  { href: "/app/settings/payers", label: "Payers", everyone: true },
  { href: "/app/settings/clearinghouse", label: "Clearinghouse", everyone: true },
  { href: "/app/settings/ledger-export", label: "Ledger export", everyone: false },
  { href: "/app/settings/audit-log", label: "Audit log", everyone: false },
  { href: "/app/settings/alerts", label: "Alerts", everyone: false },
  { href: "/app/settings/membership-plans", label: "Membership plans", everyone: false },
];

export function SettingsTabs({ admin }: { admin: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="min-w-0 border-b">
      <ul className="-mb-px flex gap-4 overflow-x-auto">
        {TABS.filter((tab) => admin || tab.everyone).map((tab) => {
          // A tab's sub-pages (the alert history) keep it marked; the Organization tab is only its own page.
          const active = pathname === tab.href || (tab.href !== "/app/settings" && pathname.startsWith(`${tab.href}/`));
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-10 items-center whitespace-nowrap border-b-2 border-transparent px-1 text-sm font-medium text-muted-foreground hover:text-foreground",
                  active && "border-primary text-foreground",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
