"use client";

import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/money/currency";
import { CHANNEL_COLOR } from "./chart-colors";
import { formatMoneyCompact } from "@/lib/analytics/figure-format";

export type ChannelBar = { label: string; amount: number; count: number };

/** Money received by channel (pay page, saved card, front desk by method), largest first. */
export function ChannelChart({ channels, currency }: { channels: ChannelBar[]; currency: string }) {
  return (
    <div className="w-full" style={{ height: Math.max(120, channels.length * 40 + 24) }} aria-hidden="true" data-testid="channel-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={channels} layout="vertical" margin={{ top: 0, right: 72, bottom: 0, left: 0 }} barSize={22} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="label" width={156} tickLine={false} axisLine={false} fontSize={12} tick={{ fill: "var(--foreground)" }} />
          <Tooltip
            cursor={{ fill: "var(--muted)" }}
            formatter={(value) => [formatMoney(Number(value), currency), "Collected"]}
            contentStyle={{ borderRadius: 8, borderColor: "var(--border)", fontSize: 13 }}
          />
          <Bar dataKey="amount" name="Collected" fill={CHANNEL_COLOR} radius={[0, 4, 4, 0]} isAnimationActive={false}>
            <LabelList
              dataKey="amount"
              position="right"
              fontSize={12}
              fill="var(--foreground)"
              formatter={(value) => formatMoneyCompact(Number(value), currency)}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
