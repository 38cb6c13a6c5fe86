"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import {
  BadgeCheck,
  BellRing,
  ChartColumn,
  ClipboardList,
  CreditCard,
  FileText,
  Inbox,
  LayoutDashboard,
  ReceiptText,
  Settings,
  ShieldAlert,
  Users,
  type LucideIcon,
} from "lucide-react";
import { cn } from "@/lib/utils/cn";

export type NavItem = {
  href: string;
  label: string;
  icon:
    | "dashboard"
    | "patients"
    | "invoices"
    | "payments"
    | "claims"
    | "memberships"
    | "credit-notes"
    | "disputes"
    | "needs-attention"
    | "analytics"
    | "mailbox"
    | "settings";
  exact?: boolean;
  /** A count that needs attention (e.g. disputes awaiting a response); hidden when 0. */
  badge?: { count: number; label: string };
};

const ICONS: Record<NavItem["icon"], LucideIcon> = {
  dashboard: LayoutDashboard,
  patients: Users,
  invoices: FileText,
  payments: CreditCard,
  claims: ClipboardList,
  memberships: BadgeCheck,
  "credit-notes": ReceiptText,
  disputes: ShieldAlert,
  "needs-attention": BellRing,
  analytics: ChartColumn,
  mailbox: Inbox,
  settings: Settings,
};

/**
 * The sidebar. Its links prefetch on intent (pointer over, or keyboard focus), not as they appear:
 * every staff page shows all of them, and prefetching each on every page view (and again after
 * every change, which refreshes the staff area) made a dozen server renders per click.
 */
export function NavLinks({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  const router = useRouter();
  return (
    <ul className="grid gap-1">
      {items.map((item) => {
        const active = item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
        const Icon = ICONS[item.icon];
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              prefetch={false}
              onMouseEnter={() => router.prefetch(item.href)}
              onFocus={() => router.prefetch(item.href)}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex h-10 items-center gap-3 rounded-md px-3 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground",
                active && "bg-accent text-accent-foreground",
              )}
            >
              <Icon aria-hidden="true" className="size-4" />
              {item.label}
              {item.badge && item.badge.count > 0 && (
                <span
                  className="ml-auto rounded-full bg-destructive px-2 py-0.5 text-xs font-semibold text-white tabular-nums"
                  aria-label={`${item.badge.count} ${item.badge.label}`}
                >
                  {item.badge.count}
                </span>
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
