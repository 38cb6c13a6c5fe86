import { test as setup } from "@playwright/test";
import { DEMO, signInThroughApi, storageStatePath, type DemoRole } from "./fixtures";

for (const role of Object.keys(DEMO) as DemoRole[]) {
  setup(`sign in once as ${role}`, async ({ request }) => {
    await signInThroughApi(request, DEMO[role].email);
    await request.storageState({ path: storageStatePath(role) });
  });
}
