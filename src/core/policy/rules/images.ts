/** Container images: a pinned tag, and a pull policy that matches how mutable the tag is. */
import type { Rule } from '../types';
import { containerRule } from './define';
import { md, str } from './util';
import { ADVICE, HYGIENE } from '../profiles';

export interface ImageRef {
  /** Repository, with registry (`ghcr.io/org/app`). */
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits `registry:5000/org/app:1.2@sha256:…`; a `:` before the last `/` is a registry port, not a tag. */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
  return { name: colon >= 0 ? rest.slice(0, colon) : rest, ...(colon >= 0 ? { tag: rest.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

/** Images whose reference is filled in later (templating): not judged. */
function isTemplated(image: string): boolean {
  return /\$\{|\{\{|\$\(/.test(image);
}

export const imageTag = containerRule(
  {
    id: 'k8s/image-tag',
    title: 'Image tag missing or latest',
    category: 'kubernetes-reliability',
    severity: 'warning',
    profiles: HYGIENE,
    description: 'An image without a tag, or tagged `latest`, runs whatever was pushed last: two replicas may run different code, and a rollback does not roll back. A digest-pinned image (`@sha256:…`) is fine.',
    remediation: 'Use a version tag (`app:1.4.2`) or pin by digest (`app@sha256:…`), and change it on every release.',
    equivalents: { polaris: 'tagNotSpecified', kubeLinter: 'latest-tag' },
  },
  {},
  (c) => {
    const image = str(c.container.image);
    if (image === undefined || isTemplated(image)) return [];
    const ref = parseImage(image);
    if (ref.digest) return [];
    const path = [...c.path, 'image'];
    if (ref.tag === undefined || ref.tag === '') return [{ path, target: 'value', message: (who) => `${who} uses image ${md(image)} without a tag (it pulls ${md('latest')}): use a version tag or a digest.` }];
    if (ref.tag === 'latest') return [{ path, target: 'value', message: (who) => `${who} uses ${md(':latest')}: use a version tag or a digest.` }];
    return [];
  },
);

/**
 * Tags treated as immutable: a full version (`1.4.2`, `v2.0.0-rc.1`,
 * `1.25.3-alpine`) or a commit id (`3f2c1ab`, `sha-3f2c1ab…`). Everything
 * else (`latest`, `main`, `stable`, `1.4`, `3`) is a moving tag.
 */
const IMMUTABLE_TAG = /^(v?\d+\.\d+\.\d+([-+._][0-9A-Za-z._+-]*)?|(sha-|git-|g)?[0-9a-f]{7,40})$/;

export function isMutableTag(ref: ImageRef): boolean {
  if (ref.digest) return false;
  return ref.tag === undefined || ref.tag === '' || !IMMUTABLE_TAG.test(ref.tag);
}

export const imagePullPolicy = containerRule(
  {
    id: 'k8s/image-pull-policy',
    title: 'Moving image tag not pulled Always',
    category: 'kubernetes-reliability',
    severity: 'info',
    profiles: ADVICE,
    description: 'With a moving tag (`latest`, `main`, `1.4`, …) and `imagePullPolicy` `IfNotPresent` or `Never`, each node runs whichever image it pulled first, so replicas drift apart. Full version tags (`1.4.2`), commit-id tags and digests count as fixed and are not reported.',
    remediation: 'Pin the image to a full version or a digest (best), or set `imagePullPolicy: Always`.',
    equivalents: { polaris: 'pullPolicyNotAlways' },
  },
  {},
  (c) => {
    const image = str(c.container.image);
    if (image === undefined || isTemplated(image)) return [];
    const ref = parseImage(image);
    if (!isMutableTag(ref)) return [];
    const explicit = str(c.container.imagePullPolicy);
    // Kubernetes' default: Always for no tag or `latest`, IfNotPresent otherwise
    const policy = explicit ?? (ref.tag === undefined || ref.tag === '' || ref.tag === 'latest' ? 'Always' : 'IfNotPresent');
    if (policy === 'Always') return [];
    const tag = ref.tag ? md(`:${ref.tag}`) : 'no tag';
    if (explicit !== undefined) {
      return [{ path: [...c.path, 'imagePullPolicy'], target: 'value', message: (who) => `${who} uses moving tag ${tag} with ${md(`imagePullPolicy: ${explicit}`)}: nodes keep the image they pulled first. Pin a version or digest, or use ${md('Always')}.` }];
    }
    return [{ path: [...c.path, 'image'], target: 'value', message: (who) => `${who} uses moving tag ${tag}, pulled only if not present (the default for it): nodes keep the image they pulled first. Pin a version or digest, or set ${md('imagePullPolicy: Always')}.` }];
  },
);

export const IMAGE_RULES: readonly Rule[] = [imageTag, imagePullPolicy];
