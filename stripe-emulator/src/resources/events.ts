import { resourceMissing } from "../errors";
import { allowOnly, expandPaths, optionalString, optionalStringArray } from "../params";
import { expand, paginate, present } from "../render";
import { param, route, type Route } from "../router";

/** `charge.*` matches `charge.succeeded` and `charge.dispute.created`, as in Stripe's filter. */
function typeMatches(pattern: string, type: string): boolean {
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export const eventRoutes: Route[] = [
  route("GET", "/v1/events", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "type", "types", "delivery_success"]);
    const type = optionalString(params, "type");
    const types = optionalStringArray(params, "types");
    const items = Object.values(ctx.account.events).filter(
      (event) => (type === undefined || typeMatches(type, event.type)) && (types === undefined || types.includes(event.type)),
    );
    return { body: expand(ctx, paginate(ctx, items, params, "/v1/events"), expandPaths(params)) };
  }),
  route("GET", "/v1/events/:id", (ctx, params, path) => {
    allowOnly(params, []);
    const id = param(path, 0);
    const event = ctx.account.events[id];
    if (!event) throw resourceMissing(id);
    return { body: expand(ctx, present(ctx, event), expandPaths(params)) };
  }),
];
