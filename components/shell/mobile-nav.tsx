"use client";

import { useState } from "react";
import { Menu } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Logo } from "./logo";
import { NavLinks, type NavItem } from "./nav-links";

/** The sidebar as a slide-in panel on phones; focus is trapped while it is open. */
export function MobileNav({ items, organizationName }: { items: NavItem[]; organizationName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <Menu aria-hidden="true" />
        </Button>
      </DialogTrigger>
      <DialogContent
        aria-describedby={undefined}
        className="top-0 left-0 flex h-dvh max-h-none max-w-72 translate-x-0 translate-y-0 flex-col justify-start gap-2 rounded-none border-r p-4 sm:max-w-72"
      >
        <DialogTitle className="sr-only">Navigation</DialogTitle>
        <div className="mb-4 grid gap-1">
          <Logo />
          <p className="truncate text-sm text-muted-foreground">{organizationName}</p>
        </div>
        <nav aria-label="Main">
          <NavLinks items={items} onNavigate={() => setOpen(false)} />
        </nav>
      </DialogContent>
    </Dialog>
  );
}
