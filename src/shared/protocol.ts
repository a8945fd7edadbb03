/**
 * The message contract between webviews (webview-ui/) and the extension. Both
 * sides import this module and validate every message they receive with it:
 * a message that does not parse is dropped and reported, never acted on.
 * Panels extend the unions with their own messages (scaffolding form, dashboard).
 */
import * as z from 'zod/mini';

export const ThemeKindSchema = z.enum(['light', 'dark', 'high-contrast', 'high-contrast-light']);

/** Messages the extension sends to a webview. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('init'), view: z.string(), theme: ThemeKindSchema, state: z.optional(z.unknown()) }),
  z.strictObject({ type: z.literal('theme'), theme: ThemeKindSchema }),
]);

/** Messages a webview sends to the extension. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), view: z.string() }),
  z.strictObject({ type: z.literal('invalidMessage'), reason: z.string().check(z.maxLength(500)) }),
]);

export type HostMessage = z.infer<typeof HostMessageSchema>;
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

function parseWith<T>(schema: z.ZodMiniType<T>, data: unknown): Parsed<T> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, message: r.data };
  const reason = r.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.code}`).join('; ');
  return { ok: false, reason: reason.slice(0, 500) };
}

export const parseHostMessage = (data: unknown): Parsed<HostMessage> => parseWith(HostMessageSchema, data);
export const parseWebviewMessage = (data: unknown): Parsed<WebviewMessage> => parseWith(WebviewMessageSchema, data);
