import { cn } from "@/lib/utils/cn";

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight", className)}>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-7 text-primary" fill="none">
        <rect width="24" height="24" rx="6" fill="currentColor" />
        <path d="M12 6v12M6 12h12" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <span>Carebill</span>
    </span>
  );
}
