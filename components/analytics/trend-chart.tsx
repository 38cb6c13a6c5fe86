"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/money/currency";
import { CHART_COLORS } from "./chart-colors";
import { formatMoneyCompact } from "@/lib/analytics/figure-format";

export type TrendPoint = { label: string; charges: number; collections: number };

/** Charges vs collections over the period, one point per day, week or month (figures in minor units). */
export function TrendChart({ points, currency }: { points: TrendPoint[]; currency: string }) {
  return (
    <div className="h-64 w-full sm:h-72" aria-hidden="true" data-testid="trend-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} minTickGap={16} tick={{ fill: "var(--muted-foreground)" }} />
          <YAxis
            tickFormatter={(value: number) => formatMoneyCompact(value, currency)}
            tickLine={false}
            axisLine={false}
            fontSize={12}
            width={64}
            tick={{ fill: "var(--muted-foreground)" }}
          />
          <Tooltip
            formatter={(value) => formatMoney(Number(value), currency)}
            contentStyle={{ borderRadius: 8, borderColor: "var(--border)", fontSize: 13 }}
            labelStyle={{ fontWeight: 600 }}
          />
          <Legend iconType="plainline" wrapperStyle={{ fontSize: 13 }} />
          <Line type="monotone" dataKey="charges" name="Charges" stroke={CHART_COLORS.charges} strokeWidth={2} dot={points.length <= 31} />
          <Line
            type="monotone"
            dataKey="collections"
            name="Collections"
            stroke={CHART_COLORS.collections}
            strokeWidth={2}
            strokeDasharray="6 3"
            dot={points.length <= 31}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
