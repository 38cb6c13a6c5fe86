import { Card, CardContent } from "@/components/ui/card";

/** What the pay and card pages show a visitor over their rate limit: the limit's own message. */
export function RateLimitedNotice({ message }: { message: string }) {
  return (
    <Card>
      <CardContent className="py-10 text-center">
        <h1 className="text-xl font-semibold">Please wait a moment</h1>
        <p className="mt-2 text-muted-foreground">{message}</p>
      </CardContent>
    </Card>
  );
}
