"use client";

import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/money/currency";
import { AGING_COLORS } from "./chart-colors";

export type AgingSegment = { key: string; label: string; count: number; amount: number };

/** Accounts receivable as one bar stacked by age bucket (0–30 days on the left, 120+ on the right). */
export function AgingChart({ buckets, currency }: { buckets: AgingSegment[]; currency: string }) {
  const row = Object.fromEntries([["name", "Receivables"], ...buckets.map((bucket) => [bucket.key, bucket.amount])]);
  return (
    <div className="h-20 w-full" aria-hidden="true" data-testid="aging-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={[row]} layout="vertical" margin={{ top: 0, right: 0, bottom: 0, left: 0 }} barSize={40} accessibilityLayer={false}>
          <XAxis type="number" hide domain={[0, "dataMax"]} />
          <YAxis type="category" dataKey="name" hide />
          <Tooltip
            cursor={false}
            formatter={(value, name) => [formatMoney(Number(value), currency), String(name)]}
            contentStyle={{ borderRadius: 8, borderColor: "var(--border)", fontSize: 13 }}
            labelFormatter={() => "Receivables by age"}
          />
          {buckets.map((bucket, index) => (
            <Bar
              key={bucket.key}
              dataKey={bucket.key}
              name={bucket.label}
              stackId="aging"
              fill={AGING_COLORS[index % AGING_COLORS.length]}
              stroke="var(--card)"
              strokeWidth={1}
              radius={index === 0 ? [6, 0, 0, 6] : index === buckets.length - 1 ? [0, 6, 6, 0] : 0}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
