// The whole cluster on a fresh stand: deploy, idempotence, the original replication check,
// HAProxy routing seen by a real PostgreSQL client, status, and the failures a user can cause.
import { PORTS } from '../../roles-src/ports.js';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, ROOT, venvBin } from '../helpers/project.js';
import {
  addressOf,
  etcdctl,
  etcdctlWithoutUser,
  onHost,
  psqlOnHost,
  playbook,
  playbookWith,
  recap,
  opsCli,
  standCli,
} from '../helpers/stand.js';
import { secrets, sql, waitHealthy } from '../helpers/operations.js';
import { startUpstreamDns } from '../helpers/upstream-dns.js';
import { PKI_DIR, pgSsl, request, scheme, tlsMaterial, type TlsMaterial } from '../../stand/tls-client.js';
import { gatewayAddress, stand, vipAddress } from '../../inventories/stand.js';
import { defaultOf } from '../../dsl/index.js';
import vip from '../../roles-src/vip/role.js';
import { HOST_TLS_DIR } from '../../playbooks/lib/tls.js';
import { BRIDGE } from '../../stand/local/paths.js';
import { waitUntil } from '../../stand/ha/cluster-view.js';
import { EtcdOpenWatch } from '../helpers/etcd-open-watch.js';

const figures: Record<string, number> = {};

/** SQL through the virtual IP on one of HAProxy's ports. */
const query = (port: number, text: string) => sql('vip', text, port);

/** A client certificate from a CA of its own (openssl on the controller), as an intruder would bring. */
async function foreignClientCertificate(): Promise<{ cert: Buffer; key: Buffer }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-foreign-ca-'));
  try {
    const ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
    await execa(
      'bash',
      [
        '-c',
        `set -e
openssl req -x509 ${ec} -keyout ca.key -out ca.crt -subj /CN=another-ca -days 1
openssl req ${ec} -keyout c.key -out c.csr -subj /CN=controller
printf 'extendedKeyUsage=clientAuth\\n' > ext
openssl x509 -req -in c.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out c.crt -days 1 -extfile ext`,
      ],
      { cwd: dir },
    );
    return { cert: fs.readFileSync(path.join(dir, 'c.crt')), key: fs.readFileSync(path.join(dir, 'c.key')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The zone serial after the previous test changed the zone. */
let changedSerial = 0;

const serial = async () => (await onHost('pg01', 'dig +short SOA pgha.test')).stdout.trim().split(' ')[2];

describe.sequential('the PostgreSQL HA cluster on a fresh stand', () => {
  beforeAll(async () => {
    expect((await compile(ROOT)).code).toBe(0);
    expect((await opsCli('secrets')).code).toBe(0);
    expect((await standCli('down')).code).toBe(0);
    expect((await standCli('up')).code).toBe(0);
  });

  it('deploys with site.yml; etcd never serves a client of the network before its authentication is on', async () => {
    const watch = new EtcdOpenWatch(Object.fromEntries(['pg01', 'pg02', 'pg03'].map((h) => [h, addressOf(h)])));
    watch.start();
    const r = await playbook('site');
    // The port answers (refusing a client without a user) once the deploy has opened it.
    await waitUntil(() => Promise.resolve(new Set(watch.answers.map((a) => a.host)).size === 3), 30_000);
    const answers = await watch.stop();
    figures.freshDeploySeconds = r.seconds;
    expect(r.code, r.output.slice(-3000)).toBe(0);
    for (const [host, c] of Object.entries(recap(r.output))) expect(c.failed, host).toBe(0);
    expect(
      answers.filter((a) => !a.enabled),
      'reads served to a client without a user',
    ).toEqual([]);
    expect(new Set(answers.map((a) => a.host))).toEqual(new Set(['pg01', 'pg02', 'pg03']));
  });

  it("installs each host's packages in one apt transaction before the roles, and no Debian cluster with them", async () => {
    const want: Record<string, string[]> = {
      ns: ['chrony', 'bind9', 'bind9-dnsutils', 'ssl-cert'],
      bk: ['chrony', 'bind9-dnsutils', 'ssl-cert', 'pgbackrest', 'postgresql-15'],
      pg01: [
        'chrony',
        'bind9-dnsutils',
        'ssl-cert',
        'etcd-server',
        'postgresql-15',
        'patroni',
        'haproxy',
        'keepalived',
        'pgbackrest',
      ],
    };
    for (const [host, packages] of Object.entries(want)) {
      const history = (await onHost(host, 'cat /var/log/apt/history.log')).stdout;
      // apt's own commands, in order: python3-apt (the package facts need it), then the roles' one.
      const runs = history.split('\n').filter((l) => l.startsWith('Commandline:') && / install /.test(l));
      const roles = runs.filter((l) => l.includes(' chrony='));
      expect(roles, history).toHaveLength(1);
      for (const p of packages) expect(roles[0], `${host}: ${p}`).toContain(` ${p}=`);
      // Debian's postgresql-15 would have made and started a cluster 'main' on port 5432.
      expect((await onHost(host, 'pg_lsclusters --no-header')).stdout.trim(), host).toBe('');
    }
  });

  it('changes nothing on a second run, zone serial included', async () => {
    const before = await serial();
    const r = await playbook('site');
    figures.idempotentRunSeconds = r.seconds;
    expect(r.code).toBe(0);
    const counters = recap(r.output);
    // The controller's secrets check runs for the first host (delegated), so no localhost line.
    expect(Object.keys(counters).sort()).toEqual(['bk', 'ns', 'pg01', 'pg02', 'pg03']);
    for (const [host, c] of Object.entries(counters)) expect(c.changed, host).toBe(0);
    expect(await serial()).toBe(before);
  });

  it("keeps a member deployed before etcd's opening note open: no restart, the note written", async () => {
    const started = async () =>
      (await onHost('pg02', 'systemctl show -p ActiveEnterTimestampMonotonic --value etcd')).stdout;
    const before = await started();
    expect((await onHost('pg02', 'rm /var/lib/etcd/pgha.auth-on')).code).toBe(0);
    const r = await playbook('site', '--limit', 'pg02', '--tags', 'etcd');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(recap(r.output).pg02!.changed, r.output.slice(-3000)).toBe(1);
    expect(r.output).toMatch(/TASK \[etcd : Note that authentication was on already\][^\n]*\n+changed: \[pg02\]/);
    expect((await onHost('pg02', 'cat /var/lib/etcd/pgha.auth-on')).code).toBe(0);
    expect((await onHost('pg02', 'grep ^ETCD_LISTEN_CLIENT_URLS= /etc/default/etcd')).stdout).toContain(
      `${addressOf('pg02')}:${PORTS.etcdClient}`,
    );
    expect(await started()).toBe(before);
  });

  it('changes the zone serial when the zone changes', async () => {
    const s1 = Number(await serial());
    await new Promise((r) => setTimeout(r, 1100)); // the serial has one-second resolution
    // Only the name server holds the zone: the run is limited to it and its role, as an operator would.
    const changed = await playbook('site', '-e', 'dns_ttl=2h', '--limit', 'infra', '--tags', 'dns');
    expect(changed.code).toBe(0);
    changedSerial = Number(await serial());
    expect(changedSerial).toBeGreaterThan(s1);
    // The next test's run returns the TTL to the inventory's: the serial rises again there.
    await new Promise((r) => setTimeout(r, 1100));
  });

  it('forwards names outside the stand to an upstream resolver, and to none on the isolated stand', async () => {
    // The upstream runs on the machine's end of the bridge, the only address besides the hosts.
    const upstream = await startUpstreamDns(gatewayAddress('local'), {
      'mirror.upstream-only.example': '10.213.50.99',
    });
    try {
      const lookup = () => onHost('pg01', 'getent hosts mirror.upstream-only.example');
      expect((await lookup()).code).not.toBe(0);
      const forwarded = await playbook(
        'site',
        '-e',
        `{"dns_forwarders": ["${gatewayAddress('local')}"]}`,
        '--limit',
        'infra',
        '--tags',
        'dns',
      );
      expect(forwarded.code, forwarded.output.slice(-2000)).toBe(0);
      expect(Number(await serial())).toBeGreaterThan(changedSerial);
      const r = await lookup();
      expect(r.stdout).toContain('10.213.50.99');
      expect(upstream.queries).toContain('mirror.upstream-only.example');
      // Names of the stand stay with the stand's own zones.
      expect((await onHost('pg01', 'getent hosts pg02.pgha.test')).stdout).toContain(addressOf('pg02'));
    } finally {
      // Back to the local stand's inventory (no forwarders): authoritative only again.
      expect((await playbook('site', '--limit', 'infra', '--tags', 'dns')).code).toBe(0);
      await upstream.close();
    }
    expect((await onHost('pg01', 'getent hosts mirror.upstream-only.example')).code).not.toBe(0);
  });

  it('passes the replication check, and again on a re-run', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await playbook('replication-check');
      expect(r.code, r.output.slice(-3000)).toBe(0);
      expect(r.output).toContain('(replica) reads pasha, vasya, petya');
    }
  });

  it('routes the read-write port to the leader and the read-only port to replicas', async () => {
    const cluster = (await (
      await request(`${scheme()}://${addressOf('pg01')}:${PORTS.patroniRest}/cluster`)
    ).json()) as {
      members: { name: string; host: string; role: string }[];
    };
    const leader = cluster.members.find((m) => m.role === 'leader')!;
    const rw = await query(PORTS.readWrite, 'SELECT pg_is_in_recovery() AS r, host(inet_server_addr()) AS addr');
    expect(rw[0]).toEqual({ r: false, addr: leader.host });
    for (let i = 0; i < 4; i++) {
      const ro = await query(PORTS.readOnly, 'SELECT pg_is_in_recovery() AS r, host(inet_server_addr()) AS addr');
      expect(ro[0]!.r).toBe(true);
      expect(ro[0]!.addr).not.toBe(leader.host);
    }
    const rows = await query(PORTS.readOnly, "SELECT count(*)::int AS n FROM pg_database WHERE datname = 'test'");
    expect(rows[0]!.n).toBe(1);
  });

  it('shows one leader and two streaming replicas in npm run status', async () => {
    const read = async () => {
      const r = await standCli('cluster-status', '--json');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as {
        members: { role: string; state: string; timeline: number; lag?: number }[];
        backends: { lb: string; proxy: string; status: string }[];
        entry: { name: string; holdsVip: boolean; keepalived: string; leaderAway: string }[];
      };
    };
    // A replica's lag is what it has yet to replay at that instant: a record in flight shows as a
    // few hundred bytes (360 once, right after the deploy's last writes). In step, it reaches 0.
    let s = await read();
    for (let i = 0; i < 20 && s.members.some((m) => m.role !== 'leader' && m.lag !== 0); i++) {
      await new Promise((done) => setTimeout(done, 500));
      s = await read();
    }
    expect(s.members.filter((m) => m.role === 'leader')).toHaveLength(1);
    const replicas = s.members.filter((m) => ['replica', 'sync_standby'].includes(m.role));
    expect(replicas).toHaveLength(2);
    for (const m of replicas) {
      expect(['running', 'streaming']).toContain(m.state);
      expect(m.lag, 'replica lag after 10 s of reading the status again').toBe(0);
    }
    expect(new Set(s.members.map((m) => m.timeline)).size).toBe(1);
    // Every database host's HAProxy sends writes to the leader and reads to both replicas; one
    // host holds the virtual IP; keepalived and the etcd leader placement check run everywhere.
    for (const lb of ['pg01', 'pg02', 'pg03']) {
      const up = (proxy: string) => s.backends.filter((b) => b.lb === lb && b.proxy === proxy && b.status === 'UP');
      expect(up('postgres_rw'), lb).toHaveLength(1);
      expect(up('postgres_ro'), lb).toHaveLength(2);
    }
    expect(s.entry.filter((e) => e.holdsVip)).toHaveLength(1);
    expect(s.entry.map((e) => `${e.name} ${e.keepalived} ${e.leaderAway}`)).toEqual([
      'pg01 active success',
      'pg02 active success',
      'pg03 active success',
    ]);
    const text = await standCli('cluster-status');
    expect(text.stdout).toMatch(/\| pg0\d\s+\| 10\.\S+\s+\| leader/);
    expect(text.stdout).toMatch(/Virtual IP 10\.\S+ .*: held by pg0\d/);
  });

  it('keeps the virtual IP where it is when a host that is no peer sends adverts of a higher priority', async () => {
    const holder = async () => {
      const r = await standCli('cluster-status', '--json');
      const s = JSON.parse(r.stdout) as { entry: { name: string; holdsVip: boolean }[] };
      return s.entry.filter((e) => e.holdsVip).map((e) => e.name);
    };
    const before = await holder();
    expect(before).toHaveLength(1);
    const since = (await onHost(before[0]!, 'date +%s')).stdout.trim();
    const stranger = `${gatewayAddress('local').replace(/\.1$/, '')}.252`;
    await execa('ip', ['addr', 'add', `${stranger}/32`, 'dev', BRIDGE]);
    try {
      // To every member (the holder and the backups), 3 s of adverts at priority 255: a holder that
      // took them would give the address up at once.
      const sent = await Promise.all(
        ['pg01', 'pg02', 'pg03'].map((h) =>
          execa('python3', [
            path.join(ROOT, 'tests/helpers/forged-vrrp.py'),
            stranger,
            addressOf(h),
            String(defaultOf(vip, 'vip_router_id')),
            vipAddress('local'),
            '3',
          ]),
        ),
      );
      for (const r of sent) expect(r.stdout).toMatch(/sent [1-9]\d* adverts/);
      expect(await holder()).toEqual(before);
      // The holder saw the adverts and dropped each one.
      const log = await onHost(before[0]!, `journalctl -u keepalived --since @${since} --no-pager -o cat`);
      expect(log.stdout).toContain(`unicast source address ${stranger} not a unicast peer`);
      expect(log.stdout).not.toMatch(/Entering BACKUP STATE|with higher priority/i);
    } finally {
      await execa('ip', ['addr', 'del', `${stranger}/32`, 'dev', BRIDGE]);
    }
  });

  it('keeps etcd healthy with three members, and the other hosts on ns time', async () => {
    const health = await onHost(
      'pg01',
      `${etcdctl(`127.0.0.1:${PORTS.etcdClient}`, 'endpoint health --cluster')} 2>&1`,
    );
    expect(health.stdout.match(/is healthy/g)).toHaveLength(3);
    for (const h of ['bk', 'pg01', 'pg02', 'pg03']) {
      const r = await onHost(h, 'chronyc -n -c sources');
      expect(r.stdout).toContain(`^,*,${addressOf('ns')},`);
    }
  });

  it.runIf(stand.tls)(
    "lets in only etcd's clients: a certificate of the cluster's CA (ns, a database host, the controller) or none opens no connection; the etcd CA's client certificate without a user writes nothing; Patroni's user writes only under /service/",
    async () => {
      const pg01 = `${addressOf('pg01')}:${PORTS.etcdClient}`;
      const url = (p: string) => `${scheme()}://${pg01}/v3/${p}`;
      const key = (k: string) => Buffer.from(k).toString('base64');
      // A client of the etcd CA (pg01's, from the controller's PKI folder), as Patroni connects.
      // Every client below verifies etcd with the etcd CA, so a refusal is etcd's, not the client's.
      const etcdCa = fs.readFileSync(path.join(PKI_DIR, 'etcd-ca.crt'));
      const etcdClient = {
        ca: etcdCa,
        cert: fs.readFileSync(path.join(PKI_DIR, 'hosts/pg01.etcd-client.crt')),
        key: fs.readFileSync(path.join(PKI_DIR, 'hosts/pg01.etcd-client.key')),
      };
      const put = (k: string, init: { headers?: Record<string, string>; tls?: TlsMaterial } = {}) =>
        request(url('kv/put'), {
          method: 'POST',
          body: JSON.stringify({ key: key(k), value: key('x') }),
          tls: etcdClient,
          ...init,
        });
      // A process on a database host that may read the etcd client key, without etcd's user.
      const onDbHost = await onHost('pg02', `${etcdctlWithoutUser(pg01, 'put /service/pgha/leader intruder')} 2>&1`);
      expect(onDbHost.code, onDbHost.stdout).not.toBe(0);
      // etcd names no user (over gRPC: permission denied; through the gateway: user name is empty).
      expect(onDbHost.stdout).toMatch(/permission denied|user name is empty/);
      const noUser = await put('/service/pgha/leader');
      expect(`${noUser.status} ${await noUser.text()}`).toMatch(/permission denied|user name is empty/);
      // Root on ns with ns's key, the controller's certificate, one of another CA: no TLS connection.
      const ns = {
        ca: etcdCa,
        cert: fs.readFileSync(path.join(PKI_DIR, 'hosts/ns.crt')),
        key: fs.readFileSync(path.join(PKI_DIR, 'hosts/ns.key')),
      };
      await expect(put('/service/pgha/leader', { tls: ns })).rejects.toThrow();
      await expect(put('/service/pgha/leader', { tls: { ...tlsMaterial(), ca: etcdCa } })).rejects.toThrow();
      const foreign = await foreignClientCertificate();
      await expect(put('/service/pgha/leader', { tls: { ...foreign, ca: etcdCa } })).rejects.toThrow();
      // Patroni's user, with the password from the secrets file.
      const auth = await request(url('auth/authenticate'), {
        method: 'POST',
        body: JSON.stringify({ name: 'patroni', password: secrets().pgha_etcd_patroni_password }),
        tls: etcdClient,
      });
      expect(auth.status).toBe(200);
      const token = ((await auth.json()) as { token: string }).token;
      const inside = await put('/service/pgha-test', { headers: { Authorization: token } });
      expect(inside.status, await inside.text()).toBe(200);
      const outside = await put('/pgha-test', { headers: { Authorization: token } });
      expect(`${outside.status} ${await outside.text()}`).toMatch(/permission denied/);
      await request(url('kv/deleterange'), {
        method: 'POST',
        body: JSON.stringify({ key: key('/service/pgha-test') }),
        headers: { Authorization: token },
        tls: etcdClient,
      });
    },
  );

  it.runIf(stand.tls)(
    "refuses an anonymous or foreign etcd leader move (it would renew every lease: Patroni's leader key would outlive its leader), and any peer but the members",
    async () => {
      const endpoints = ['pg01', 'pg02', 'pg03'].map((h) => `https://${addressOf(h)}:${PORTS.etcdClient}`).join(',');
      // Member IDs are 64-bit: read as text (JSON.parse would round them).
      const ids = async () => {
        const r = await onHost('pg01', etcdctl(`127.0.0.1:${PORTS.etcdClient}`, 'endpoint status --cluster -w json'));
        const members = [...r.stdout.matchAll(/"member_id":(\d+).*?"leader":(\d+)/g)];
        expect(members, r.stdout).toHaveLength(3);
        return { leader: BigInt(members[0]![2]!), members: members.map((m) => BigInt(m[1]!)) };
      };
      const { leader, members } = await ids();
      const other = members.find((id) => id !== leader)!;
      const moveLeader = (tls: string) =>
        onHost(
          'pg02',
          `ETCDCTL_API=3 etcdctl --dial-timeout=3s --command-timeout=5s --endpoints=${endpoints} --cacert=${HOST_TLS_DIR}/etcd-ca.crt ${tls} move-leader ${other.toString(16)} 2>&1`,
        );
      // With only the CA certificate, as the review did; with the host's certificate of the cluster's CA.
      for (const tls of ['', `--cert=${HOST_TLS_DIR}/host.crt --key=${HOST_TLS_DIR}/host.key`]) {
        const r = await moveLeader(tls);
        expect(r.code, r.stdout).not.toBe(0);
        expect(r.stdout).not.toMatch(/Leadership transferred/);
      }
      expect((await ids()).leader).toBe(leader);
      // The peer port: an etcd client certificate (postgres may read its key) is refused; the
      // member's own peer certificate (etcd's key, read here as root) is taken.
      const peerHandshake = (cert: string) =>
        onHost(
          'pg02',
          `python3 -c "import socket, ssl; c = ssl.create_default_context(cafile='${HOST_TLS_DIR}/etcd-ca.crt'); c.load_cert_chain('${HOST_TLS_DIR}/${cert}.crt', '${HOST_TLS_DIR}/${cert}.key'); s = c.wrap_socket(socket.create_connection(('${addressOf('pg01')}', ${PORTS.etcdPeer}), 5), server_hostname='${addressOf('pg01')}'); s.sendall(b'GET /version HTTP/1.0\\r\\n\\r\\n'); print(s.recv(200))" 2>&1`,
        );
      const asClient = await peerHandshake('etcd-client');
      expect(asClient.code, asClient.stdout).not.toBe(0);
      const asPeer = await peerHandshake('etcd-peer');
      expect(asPeer.code, asPeer.stdout).toBe(0);
      expect(asPeer.stdout).toMatch(/HTTP\/1\.[01] 200/);
      // The peer key is etcd's alone.
      const mode = await onHost('pg02', `stat -c '%U %a' ${HOST_TLS_DIR}/etcd-peer.key`);
      expect(mode.stdout.trim()).toBe('etcd 600');
    },
  );

  it.runIf(stand.tls)(
    'speaks only TLS: plaintext and foreign certificates are refused by etcd, the REST API and PostgreSQL',
    async () => {
      const pg01 = addressOf('pg01');
      // etcd: a plaintext client is refused; so is a TLS client without a certificate.
      const plainEtcd = await onHost(
        'pg02',
        `ETCDCTL_API=3 etcdctl --dial-timeout=3s --command-timeout=5s --endpoints=http://${pg01}:${PORTS.etcdClient} put /pgha-test plain 2>&1`,
      );
      expect(plainEtcd.code).not.toBe(0);
      const noCert = await onHost(
        'pg02',
        `ETCDCTL_API=3 etcdctl --dial-timeout=3s --command-timeout=5s --endpoints=https://${pg01}:${PORTS.etcdClient} --cacert=${HOST_TLS_DIR}/etcd-ca.crt put /pgha-test nocert 2>&1`,
      );
      expect(noCert.code).not.toBe(0);
      expect(noCert.stdout).not.toMatch(/^OK/m);
      // The REST API answers HTTPS only; a plaintext request gets no answer.
      await expect(request(`http://${pg01}:${PORTS.patroniRest}/cluster`)).rejects.toThrow();
      expect((await request(`https://${pg01}:${PORTS.patroniRest}/cluster`)).status).toBe(200);
      // PostgreSQL from another stand host: without TLS refused by pg_hba, with TLS (server verified) accepted.
      const psql = (mode: string) =>
        psqlOnHost(
          'pg02',
          `host=${pg01} port=${String(PORTS.postgres)} ${mode}`,
          'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
        );
      const plain = await psql('sslmode=disable');
      expect(plain.code).not.toBe(0);
      // Refused by pg_hba either way: no hostssl line takes it, and the superuser's reject line matches first.
      expect(plain.stdout).toMatch(/(no pg_hba\.conf entry|pg_hba\.conf rejects connection) .*no encryption/);
      const verified = await psql(`sslmode=verify-full sslrootcert=${HOST_TLS_DIR}/ca.crt`);
      expect(verified.stdout.trim(), verified.stdout).toBe('t');
      // Through HAProxy (TCP pass-through) the session is encrypted end to end.
      expect(await query(PORTS.readWrite, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).toEqual([
        { ssl: true },
      ]);
    },
  );

  it.runIf(stand.tls)(
    'signs certificates near expiry again; etcd (client and peer ports), the REST API and PostgreSQL serve the new ones',
    async () => {
      const pg01 = addressOf('pg01');
      const tls = `-CAfile ${HOST_TLS_DIR}/ca.crt -cert ${HOST_TLS_DIR}/host.crt -key ${HOST_TLS_DIR}/host.key`;
      const etcdTls = `-CAfile ${HOST_TLS_DIR}/etcd-ca.crt -cert ${HOST_TLS_DIR}/etcd-client.crt -key ${HOST_TLS_DIR}/etcd-client.key`;
      const etcdPeerTls = `-CAfile ${HOST_TLS_DIR}/etcd-ca.crt -cert ${HOST_TLS_DIR}/etcd-peer.crt -key ${HOST_TLS_DIR}/etcd-peer.key`;
      const serial = (cmd: string) => `echo | ${cmd} 2>/dev/null | openssl x509 -noout -serial`;
      // The serial of the certificate each service of pg01 presents, seen from pg02: etcd's client
      // port (a certificate of the etcd CA), its peer port, the REST API, PostgreSQL.
      const served = async () =>
        (
          await onHost(
            'pg02',
            [
              serial(`openssl s_client -connect ${pg01}:${PORTS.etcdClient} ${etcdTls}`),
              serial(`openssl s_client -connect ${pg01}:${PORTS.etcdPeer} ${etcdPeerTls}`),
              serial(`openssl s_client -connect ${pg01}:${PORTS.patroniRest} ${tls}`),
              serial(`openssl s_client -starttls postgres -connect ${pg01}:${PORTS.postgres}`),
            ].join('; '),
          )
        ).stdout
          .trim()
          .split('\n');
      const onDisk = async () =>
        (
          await onHost(
            'pg01',
            ['etcd-server', 'etcd-peer', 'host']
              .map((c) => `openssl x509 -in ${HOST_TLS_DIR}/${c}.crt -noout -serial`)
              .join('; '),
          )
        ).stdout
          .trim()
          .split('\n');
      const before = await served();
      const [server, peer, host] = await onDisk();
      expect(before).toEqual([server, peer, host, host]);
      // Renewal as a later run finds it: pki_renew_days beyond the certificate's validity.
      const r = await playbook('site', '--tags', 'pki,etcd,patroni', '--limit', 'pg01', '-e', 'pki_renew_days=900');
      expect(r.code, r.output.slice(-3000)).toBe(0);
      const after = await onDisk();
      for (const [i, c] of after.entries()) expect(c).not.toBe([server, peer, host][i]);
      await waitHealthy(120, 2);
      expect(await served()).toEqual([after[0], after[1], after[2], after[2]]);
    },
  );

  it('logs in with every password, each full of characters that must stay data', async () => {
    const pw = secrets();
    // The stand tier's secrets file (tests/helpers/stand-secrets.ts) is hostile on purpose.
    expect(pw.pgha_superuser_password).toContain('{{ x }}');
    expect(pw.pgha_haproxy_stats_password).toMatch(/ #/);
    expect((await query(PORTS.readWrite, 'SELECT 1 AS one'))[0]).toEqual({ one: 1 });
    // The replication user, as a replica connects (a physical replication connection from a member).
    const repl = await psqlOnHost(
      'pg02',
      `host=${addressOf('pg01')} port=${String(PORTS.postgres)} replication=true ${stand.tls ? `sslmode=verify-full sslrootcert=${HOST_TLS_DIR}/ca.crt` : ''}`,
      'IDENTIFY_SYSTEM',
      'replication',
    );
    expect(repl.code, repl.stdout).toBe(0);
    expect(repl.stdout.trim().split('\n')).toHaveLength(1);
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    // Patroni's REST API: an authenticated PATCH that sets loop_wait to what it is changes nothing.
    const configUrl = `${scheme()}://${addressOf('pg01')}:${PORTS.patroniRest}/config`;
    const { loop_wait } = (await (await request(configUrl)).json()) as { loop_wait: number };
    const patch = (password: string) =>
      request(configUrl, {
        method: 'PATCH',
        headers: { authorization: basic('patroni', password), 'content-type': 'application/json' },
        body: JSON.stringify({ loop_wait }),
      });
    expect((await patch(pw.pgha_rest_api_password)).status).toBe(200);
    expect((await patch(pw.pgha_rest_api_password.slice(0, -1))).status).toBe(401);
    // From an address that is neither a member, the infra host nor an operator's (an address added
    // to the bridge for this): refused with the right password; reads stay open to it.
    const stranger = `${gatewayAddress('local').replace(/\.1$/, '')}.251`;
    await execa('ip', ['addr', 'add', `${stranger}/32`, 'dev', BRIDGE]);
    try {
      const refused = await request(configUrl, {
        method: 'PATCH',
        headers: { authorization: basic('patroni', pw.pgha_rest_api_password), 'content-type': 'application/json' },
        body: JSON.stringify({ loop_wait }),
        localAddress: stranger,
      });
      expect(refused.status).toBe(403);
      expect((await request(configUrl, { localAddress: stranger })).status).toBe(200);
      // The superuser from there: refused by pg_hba, whatever the password (other users may come).
      const fromStranger = new pg.Client({
        ssl: pgSsl(),
        host: addressOf('pg01'),
        port: PORTS.postgres,
        user: 'postgres',
        password: pw.pgha_superuser_password,
        database: 'postgres',
        connectionTimeoutMillis: 5000,
        // pg opens the socket itself: one that binds the stranger's address first.
        stream: () => {
          const socket = new net.Socket();
          const connect = socket.connect.bind(socket);
          socket.connect = ((port: number, host: string) =>
            connect({ port, host, localAddress: stranger })) as unknown as typeof socket.connect;
          return socket;
        },
      });
      await expect(fromStranger.connect()).rejects.toThrow(
        /pg_hba\.conf rejects connection for host "[\d.]+\.251", user "postgres"/,
      );
    } finally {
      await execa('ip', ['addr', 'del', `${stranger}/32`, 'dev', BRIDGE]);
    }
    // HAProxy's stats page, over TLS on the network (the certificate verified, by address): the
    // whole password, not the part before the first space or '#'; plain HTTP gets no answer there.
    const stats = (password: string) =>
      request(`https://${addressOf('pg01')}:${PORTS.stats}/;csv`, {
        headers: { authorization: basic('admin', password) },
      });
    expect((await stats(pw.pgha_haproxy_stats_password)).status).toBe(200);
    expect((await stats(pw.pgha_haproxy_stats_password.split(' ')[0]!)).status).toBe(401);
    const plain = await fetch(`http://${addressOf('pg01')}:${PORTS.stats}/;csv`, {
      headers: { authorization: basic('admin', pw.pgha_haproxy_stats_password) },
      signal: AbortSignal.timeout(5000),
    }).then(
      (r) => `HTTP ${r.status}`,
      (e: unknown) => String((e as { cause?: unknown }).cause ?? e),
    );
    expect(plain).not.toBe('HTTP 200');
  });

  it('lets the superuser in from the admin addresses alone: never through HAProxy, whatever the password; replication and pg_rewind only from the members', async () => {
    const pw = secrets();
    const leaderAddress = String((await query(PORTS.readWrite, 'SELECT host(inet_server_addr()) AS a'))[0]!.a);
    const attempt = async (config: pg.ClientConfig) => {
      const c = new pg.Client({ ssl: pgSsl(), database: 'postgres', connectionTimeoutMillis: 5000, ...config });
      try {
        await c.connect();
        await c.end();
        return 'connected';
      } catch (e) {
        return (e as Error).message;
      }
    };
    // The attack: the superuser's right password through the virtual IP's read-write port, and
    // through a replica host's own HAProxy. HAProxy connects from a member's address.
    for (const host of [addressOf('vip'), addressOf('pg03')])
      expect(
        await attempt({ host, port: PORTS.readWrite, user: 'postgres', password: pw.pgha_superuser_password }),
      ).toMatch(/pg_hba\.conf rejects connection for host "[\d.]+", user "postgres"/);
    // The same password directly from the controller (an admin address) is let in.
    expect(
      await attempt({
        host: leaderAddress,
        port: PORTS.postgres,
        user: 'postgres',
        password: pw.pgha_superuser_password,
      }),
    ).toBe('connected');
    // Replication (physical, or a logical walsender, which matches a database line) and pg_rewind's
    // user from the controller: refused with the right password.
    for (const replication of ['true', 'database'])
      expect(
        await attempt({
          host: leaderAddress,
          port: PORTS.postgres,
          user: 'replicator',
          password: pw.pgha_replication_password,
          replication,
        } as pg.ClientConfig),
        `replication=${replication}`,
      ).toMatch(/pg_hba\.conf rejects (replication )?connection for host "[\d.]+", user "replicator"/);
    expect(
      await attempt({ host: leaderAddress, port: PORTS.postgres, user: 'rewind', password: pw.pgha_rewind_password }),
    ).toMatch(/pg_hba\.conf rejects connection for host "[\d.]+", user "rewind"/);
    // pg_rewind's user from a member: in, and it reads what pg_rewind reads, nothing more.
    const rewindSql = (statement: string) =>
      psqlOnHost(
        'pg02',
        `host=${leaderAddress} port=${String(PORTS.postgres)} ${stand.tls ? `sslmode=verify-full sslrootcert=${HOST_TLS_DIR}/ca.crt` : ''}`,
        statement,
        'rewind',
      );
    const files = await rewindSql("SELECT count(*) > 0 FROM pg_ls_dir('global', true, false)");
    expect(files.stdout.trim(), files.stdout).toBe('t');
    const write = await rewindSql('CREATE TABLE pgha_rewind_may_not (id int)');
    expect(write.stdout).toMatch(/permission denied for schema public/);
    // The operations' user through the virtual IP: in, not a superuser.
    expect(await query(PORTS.readWrite, "SELECT current_setting('is_superuser') AS su")).toEqual([{ su: 'off' }]);
  });

  it('reads an ansible-vault encrypted secrets file with the vault password, and stops before any host without it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-vault-'));
    const vaultPass = path.join(dir, 'vault-pass');
    const encrypted = path.join(dir, 'cluster.yml');
    fs.writeFileSync(vaultPass, 'a vault password\n', { mode: 0o600 });
    fs.copyFileSync(process.env.PGHA_SECRETS_FILE ?? path.join(ROOT, '.secrets/cluster.yml'), encrypted);
    const enc = await execa(venvBin('ansible-vault'), ['encrypt', '--vault-password-file', vaultPass, encrypted], {
      reject: false,
    });
    expect(enc.exitCode, enc.stderr).toBe(0);
    expect(fs.readFileSync(encrypted, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;/);
    fs.chmodSync(encrypted, 0o600);
    try {
      const withPass = await playbookWith(
        { PGHA_SECRETS_FILE: encrypted, ANSIBLE_VAULT_PASSWORD_FILE: vaultPass },
        'replication-check',
      );
      expect(withPass.code, withPass.output.slice(-3000)).toBe(0);
      const without = await playbookWith({ PGHA_SECRETS_FILE: encrypted }, 'replication-check');
      expect(without.code).not.toBe(0);
      // The check play alone ran, on the controller: no later play began.
      expect(without.output).toContain('PLAY [Check the secrets before any host is changed]');
      expect(without.output.match(/^PLAY \[/gm)).toHaveLength(1);
      // The project's own commands read it too.
      const status = await execa(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        [path.join(ROOT, 'stand/cli.ts'), 'cluster-status'],
        {
          cwd: ROOT,
          env: { PGHA_SECRETS_FILE: encrypted, ANSIBLE_VAULT_PASSWORD_FILE: vaultPass },
          reject: false,
        },
      );
      expect(status.exitCode, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/Virtual IP \S+ .*: held by pg0\d/);
      expect(status.stdout).toMatch(/Backups: last full /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a wrongly typed role variable through the argument specs before changing anything', async () => {
    const r = await playbook('site', '-e', 'ntp_local_stratum=lots');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/Validating arguments against arg spec/);
    expect(r.output).toMatch(/ntp_local_stratum/);
    for (const [host, c] of Object.entries(recap(r.output))) expect(c.changed, host).toBe(0);
  });

  it('fails a deploy against an unreachable host, naming it', async () => {
    await onHost('pg03', 'systemctl poweroff');
    // Until it is off: on a busy machine its shutdown can outlast any fixed wait, and a run that
    // reaches it while it stops fails otherwise than as unreachable.
    const off = await waitUntil(
      async () => {
        const s = JSON.parse((await standCli('status', '--json')).stdout) as {
          hosts: { name: string; state: string }[];
        };
        return s.hosts.find((h) => h.name === 'pg03')?.state !== 'up';
      },
      60_000,
      1000,
    );
    expect(off, 'pg03 still up 60 s after poweroff').toBeDefined();
    // Limited to the lost host: the other hosts' part of the run would only repeat the second run.
    const r = await playbook('site', '--limit', 'pg03');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/\[pg03\]: UNREACHABLE!/);
    expect(recap(r.output).pg03?.unreachable).toBe(1);
    expect((await standCli('up')).code).toBe(0);
  });

  it('reports the figures', () => {
    console.log(`figures: ${JSON.stringify(figures)}`);
    expect(figures.freshDeploySeconds).toBeGreaterThan(0);
  });
});
