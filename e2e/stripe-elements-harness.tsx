/**
 * A checkout written exactly as the app writes one with real Stripe (`<Elements>`,
 * `<PaymentElement>`, `stripe.confirmPayment`), bundled by e2e/stripe-elements.spec.ts for an
 * emulator build. Query: `pk`, `client_secret`, and `redirect=always` (default: if_required).
 */
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import type { StripeError } from "@stripe/stripe-js";
import { StrictMode, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import { getStripe } from "@/lib/stripe/client/get-stripe";

const query = new URLSearchParams(window.location.search);
const stripePromise = getStripe(query.get("pk") ?? "");
const clientSecret = query.get("client_secret") ?? "";
const redirectAlways = query.get("redirect") === "always";

function PayForm() {
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [status, setStatus] = useState("idle");
  const [error, setError] = useState<StripeError | null>(null);

  async function pay(event: FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setStatus("paying");
    setError(null);
    const confirmParams = { return_url: `${window.location.origin}/return` };
    const result = redirectAlways
      ? await stripe.confirmPayment({ elements, confirmParams })
      : await stripe.confirmPayment({ elements, confirmParams, redirect: "if_required" });
    if (result.error) {
      setError(result.error);
      setStatus("failed");
      return;
    }
    setStatus(result.paymentIntent.status);
  }

  return (
    <form onSubmit={pay} method="post" action="/must-never-be-posted">
      <PaymentElement onReady={() => setReady(true)} />
      <button type="submit" disabled={!stripe || !ready || status === "paying"}>
        Pay
      </button>
      <p data-testid="status">{status}</p>
      {error ? (
        <p role="alert" data-type={error.type} data-code={error.code ?? ""} data-decline-code={error.decline_code ?? ""}>
          {error.message}
        </p>
      ) : null}
    </form>
  );
}

const root = document.getElementById("root");
if (!root) throw new Error("missing #root");
createRoot(root).render(
  <StrictMode>
    <Elements stripe={stripePromise} options={{ clientSecret }}>
      <PayForm />
    </Elements>
  </StrictMode>,
);
