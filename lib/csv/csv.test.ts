import { describe, expect, it } from "vitest";
import { csvAmount, csvCell, csvDateTime, csvFromPages, csvRow } from "./csv";

describe("csv", () => {
  it("quotes as RFC 4180 says: commas, quotes and line breaks inside quotes, quotes doubled, CRLF rows", () => {
    expect(csvRow(["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", null, undefined, 42])).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\rhere",,,42\r\n',
    );
  });

  it("defuses spreadsheet formulas but keeps amounts numbers", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1 555 0100")).toBe("'+1 555 0100");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\rcmd")).toBe('"\'\rcmd"');
    expect(csvCell("-1234")).toBe("'-1234");
    expect(csvCell(csvAmount(-4_000, "USD"))).toBe("-40.00");
    expect(csvCell(csvAmount(15_000, "USD"))).toBe("150.00");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell("Maria = friend")).toBe("Maria = friend");
  });

  it("writes dates in the clinic's time zone", () => {
    expect(csvDateTime(new Date("2026-12-05T02:30:00Z"), "America/New_York")).toBe("2026-12-04 21:30");
    expect(csvDateTime(new Date("2026-12-05T02:30:00Z"), "UTC")).toBe("2026-12-05 02:30");
  });

  it("reads the list page by page and holds one page at a time", async () => {
    const rows = Array.from({ length: 250 }, (_, index) => ({ id: String(index) }));
    const asked: (string | undefined)[] = [];
    const chunks: string[] = [];
    for await (const chunk of csvFromPages({
      header: ["id"],
      page: async (cursor, limit) => {
        asked.push(cursor);
        const start = cursor ? Number(cursor) + 1 : 0;
        const data = rows.slice(start, start + limit);
        return { data, nextCursor: start + limit < rows.length ? data.at(-1)!.id : null };
      },
      row: (row) => [row.id],
    })) {
      chunks.push(chunk);
    }
    expect(asked).toEqual([undefined, "99", "199"]);
    expect(chunks).toHaveLength(4);
    expect(chunks.join("").split("\r\n").slice(0, 3)).toEqual(["id", "0", "1"]);
    expect(chunks.join("").trimEnd().split("\r\n")).toHaveLength(251);
  });
});
