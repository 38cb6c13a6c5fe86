"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils/cn";

const TABS = [
  { href: "/app/settings", label: "Organization" },
  { href: "/app/settings/users", label: "Users" },
  { href: "/app/settings/api-keys", label: "API keys" },
  { href: "/app/settings/ledger-export", label: "Ledger export" },
  { href: "/app/settings/audit-log", label: "Audit log" },
  { href: "/app/settings/alerts", label: "Alerts" },
];

export function SettingsTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="min-w-0 border-b">
      <ul className="-mb-px flex gap-4 overflow-x-auto">
        {TABS.map((tab) => {
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
