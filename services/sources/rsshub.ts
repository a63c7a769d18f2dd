import ipaddr from 'ipaddr.js';
import { writeAudit } from '../../db/repos/audit.js';
import { insertAllowlistEntry, loadAllowlist } from '../../db/repos/allowlist.js';
import { loadRsshubSettings, lockRsshubSettings, saveRsshubBase } from '../../db/repos/rsshub-settings.js';
import type { Db } from '../../db/client.js';
import { fieldError } from '../../platform/errors.js';
import { checkUrl } from '../../platform/http/ssrf.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import { composeRsshubUrl, findRsshubTemplate, RSSHUB_TEMPLATES } from './rsshub-templates.js';
import type { RsshubFill, RsshubSettingsInput, RsshubTemplatesView } from './schema.js';
import { urlProblem } from './url-check.js';

// RSSHub as a provider: the office's instance (its base URL, admin-edited and audited; a private
// address is allow-listed in the same transaction when the admin asks for it) and the templates
// that compose an ordinary feed source's URL on it.

/** "host:port" of a URL as the allow-list holds it. */
function hostPortOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}

/**
 * Why a URL cannot be an RSSHub instance beyond the fetch policy, or null: a query or fragment (the
 * route would land in it), or a link-local address (169.254.0.0/16 and fe80::/10, where the cloud
 * metadata service answers), which "加入白名单" must not open with one tick.
 */
function baseProblem(base: string): { message: string; messageZh: string } | null {
  const u = new URL(base);
  if (u.search !== '' || u.hash !== '') {
    return { message: 'must not contain a query (?…) or a fragment (#…): the route is appended to it', messageZh: '实例地址不能带“?”或“#”之后的部分（路由接在地址后面）' };
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    let addr = ipaddr.parse(host);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
    if (addr.range() === 'linkLocal') {
      return { message: 'is a link-local address (e.g. the cloud metadata service), never an RSSHub instance', messageZh: '该地址是链路本地地址（如云服务器的元数据服务），不能作为 RSSHub 实例' };
    }
  }
  return null;
}

/** The templates, the base URL they compose on, and whether the base needs (and has) an allow-list entry. */
export async function rsshubTemplates(deps: ModuleDeps): Promise<RsshubTemplatesView> {
  const settings = await loadRsshubSettings(deps.db);
  const allow = await loadAllowlist(deps.db);
  const base = settings.baseUrl;
  const isPrivate = base !== null && !checkUrl(base, () => false).ok;
  return {
    baseUrl: base,
    basePrivate: isPrivate,
    baseAllowed: base === null || !isPrivate || allow.has(hostPortOf(base)),
    updatedAt: iso(settings.updatedAt),
    templates: RSSHUB_TEMPLATES.map((t) => ({ ...t, params: t.params.map((p) => ({ ...p, optional: p.optional ?? false })) })),
  };
}

/**
 * Sets (or clears, with null) the RSSHub base URL. A base on a private address is refused unless
 * `allowPrivate`: then its host:port joins the allow-list in the same transaction, audited too.
 */
export async function setRsshubBase(deps: ModuleDeps, input: RsshubSettingsInput, actor: Actor): Promise<RsshubTemplatesView> {
  const base = input.baseUrl === null ? null : input.baseUrl.replace(/\/+$/, '');
  let allowEntry: string | null = null;
  if (base !== null) {
    const problem = baseProblem(base);
    if (problem) throw fieldError('baseUrl', problem.message, problem.messageZh);
    const allowed = await loadAllowlist(deps.db);
    const hostPort = hostPortOf(base);
    if (!checkUrl(base, (hp) => allowed.has(hp.toLowerCase())).ok) {
      if (!input.allowPrivate) {
        throw fieldError(
          'baseUrl',
          `points at a private address: allow-list ${hostPort} (allowPrivate) to use it`,
          `该地址在内网或本机，需同时将 ${hostPort} 加入内网抓取白名单（勾选“加入白名单”）`,
        );
      }
      if (!checkUrl(base, () => true).ok) throw fieldError('baseUrl', 'is refused by the fetch policy', '该地址不允许抓取');
      allowEntry = hostPort;
    }
  }
  await deps.db.transaction().execute(async (trx) => {
    const before = await lockRsshubSettings(trx);
    if (allowEntry) {
      const inserted = await insertAllowlistEntry(trx, allowEntry, 'RSSHub 实例');
      if (inserted) {
        await writeAudit(trx, {
          actor,
          entity: 'allowlist',
          entityId: inserted.id,
          action: 'allowlist.create',
          after: { hostPort: inserted.host_port, note: inserted.note },
        });
      }
    }
    await saveRsshubBase(trx, base, actor.id, deps.now());
    await writeAudit(trx, { actor, entity: 'rsshub_settings', entityId: 1, action: 'rsshub.update', before: { baseUrl: before.baseUrl }, after: { baseUrl: base } });
  });
  return rsshubTemplates(deps);
}

/** The feed URL of a filled template on the office's RSSHub; 400 when no base is set or a parameter is missing. */
export async function rsshubSourceUrl(db: Db, fill: RsshubFill): Promise<string> {
  const template = findRsshubTemplate(fill.template);
  if (!template) throw fieldError('rsshub.template', `is not a known RSSHub template (${fill.template})`, '不是已有的 RSSHub 模板');
  const { baseUrl } = await loadRsshubSettings(db);
  if (!baseUrl) throw fieldError('rsshub', 'no RSSHub base URL is set (管理 → 监测源 → RSSHub)', '尚未设置 RSSHub 实例地址，请先在“监测源 → RSSHub”中填写');
  const composed = composeRsshubUrl(baseUrl, template, fill.params);
  if ('problem' in composed) throw fieldError(`rsshub.${composed.problem.field}`, composed.problem.message, composed.problem.messageZh);
  const syntax = urlProblem(composed.url);
  if (syntax) throw fieldError('rsshub', syntax.message, syntax.messageZh);
  return composed.url;
}
