"use server";

import { getDb } from "@/lib/db/client";
import { publicAction } from "@/lib/http/action";
import { acceptInvitation } from "@/lib/organizations/accept-invitation";
import { ZAcceptInvitationInput } from "@/lib/organizations/members.types";

/** Anyone holding the link may try; the link itself, and the account's own password, are the proof. */
export const acceptInvitationAction = publicAction({ name: "member.accept_invitation", schema: ZAcceptInvitationInput }, async (input, context) =>
  acceptInvitation(await getDb(), { input, ip: context.ip, requestId: context.requestId }),
);
