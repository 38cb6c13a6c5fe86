import Link from "next/link";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole, ROLE_LABELS } from "@/lib/auth/roles";
import { Logo } from "@/components/shell/logo";
import { MobileNav } from "@/components/shell/mobile-nav";
import { NavLinks, type NavItem } from "@/components/shell/nav-links";
import { OrganizationSwitcher } from "@/components/shell/organization-switcher";
import { UserMenu } from "@/components/shell/user-menu";
import { Toaster } from "@/components/ui/toaster";
import { FocusHeadingOnNavigation } from "@/components/shell/focus-heading-on-navigation";
import { listUserOrganizations } from "@/lib/auth/list-user-organizations";
import { selectOrganizationAction } from "@/lib/actions/auth/select-organization";
import { searchEverythingAction } from "@/lib/actions/search/search-everything";
import { GlobalSearch } from "@/components/shell/global-search";
import { countDisputesNeedingAttention } from "@/lib/disputes/list-disputes";
import { getDb } from "@/lib/db/client";
import { countOpenAttentionItems } from "@/lib/autopay/list-attention-items";

export default async function StaffLayout({ children }: { children: React.ReactNode }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const [disputes, attention, organizations] = await Promise.all([
    countDisputesNeedingAttention(db, auth.organization.id),
    countOpenAttentionItems(db, auth.organization.id),
    listUserOrganizations(db, { userId: auth.user.id }),
  ]);
  const items: NavItem[] = [
    { href: "/app", label: "Dashboard", icon: "dashboard", exact: true },
    { href: "/app/patients", label: "Patients", icon: "patients" },
    { href: "/app/invoices", label: "Invoices", icon: "invoices" },
    { href: "/app/payments", label: "Payments", icon: "payments" },
    { href: "/app/claims", label: "Claims", icon: "claims" },
    { href: "/app/memberships", label: "Memberships", icon: "memberships" },
    { href: "/app/credit-notes", label: "Credit notes", icon: "credit-notes" },
    {
      href: "/app/disputes",
      label: "Disputes",
      icon: "disputes",
      badge: { count: disputes.needsResponse + disputes.lostUnresolved, label: "disputes need attention" },
    },
    { href: "/app/needs-attention", label: "Needs attention", icon: "needs-attention", badge: { count: attention, label: "items need attention" } },
    { href: "/app/analytics", label: "Analytics", icon: "analytics" },
    ...(hasRole(auth.role, "admin")
      ? ([
          { href: "/app/mailbox", label: "Mailbox", icon: "mailbox" },
          { href: "/app/settings", label: "Settings", icon: "settings" },
        ] satisfies NavItem[])
      : // Billing staff and viewers may read the autopay rules, the one settings page open to them.
        ([{ href: "/app/settings/autopay", label: "Settings", icon: "settings" }] satisfies NavItem[])),
  ];

  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <aside className="hidden w-64 shrink-0 flex-col border-r bg-card md:flex" data-print-hidden>
        <div className="flex h-16 items-center border-b px-5">
          <Link href="/app" aria-label="Carebill home">
            <Logo />
          </Link>
        </div>
        <nav aria-label="Main" className="flex-1 p-3">
          <NavLinks items={items} />
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-10 flex h-16 items-center gap-3 border-b bg-card/95 px-4 backdrop-blur md:px-6" data-print-hidden>
          <MobileNav items={items} organizationName={auth.organization.name} />
          <OrganizationSwitcher current={auth.organization} organizations={organizations} selectOrganization={selectOrganizationAction} />
          <GlobalSearch search={searchEverythingAction} />
          <UserMenu name={auth.user.name} email={auth.user.email} roleLabel={ROLE_LABELS[auth.role]} />
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 md:px-8 md:py-8">
          {children}
        </main>
      </div>
      <Toaster />
      <FocusHeadingOnNavigation />
    </div>
  );
}
