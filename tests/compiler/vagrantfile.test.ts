// The Vagrantfile cannot boot VMs here; Ruby evaluates it against a recording stand-in for
// Vagrant, and the VMs it would create must equal the stand definition; `vagrant validate` checks
// it as Vagrant itself reads it.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { hostAddress, layoutHosts, stand } from '../../inventories/stand.js';
import { compile, ROOT, scratchProject } from '../helpers/project.js';

const RECORDER = `
require "json"
$vms = []
class Recorder
  def initialize(rec) = (@rec = rec)
  def method_missing(name, *args, **kw, &blk)
    if name.to_s.end_with?("=") then @rec[name.to_s.chomp("=")] = args.first; return end
    case name
    when :define then vm = { "name" => args.first }; $vms << vm; blk.call(Recorder.new(vm))
    when :network then (@rec["networks"] ||= []) << { "type" => args.first.to_s }.merge(kw.transform_keys(&:to_s))
    when :provider then p = (@rec["provider"] = { "type" => args.first.to_s }); blk.call(Recorder.new(p))
    when :provision then p = (@rec["provision"] = { "type" => args.first.to_s }); blk.call(Recorder.new(p))
    else Recorder.new(@rec)
    end
  end
  def respond_to_missing?(*) = true
end
module Vagrant
  def self.configure(_v) = yield(Recorder.new({}))
end
load ARGV[0]
puts JSON.generate($vms)
`;

it('defines the stand hosts with their Vagrant addresses, provisioned by out/site.yml', async () => {
  const dir = scratchProject();
  expect((await compile(dir)).code).toBe(0);
  fs.copyFileSync(path.join(ROOT, 'Vagrantfile'), path.join(dir, 'Vagrantfile'));
  fs.writeFileSync(path.join(dir, 'recorder.rb'), RECORDER);
  const { stdout } = await execa('ruby', [path.join(dir, 'recorder.rb'), path.join(dir, 'Vagrantfile')]);
  const vms = JSON.parse(stdout) as {
    name: string;
    hostname: string;
    networks: { type: string; ip: string }[];
    provider: { memory: number };
    provision?: { playbook: string; inventory_path: string };
  }[];
  expect(
    vms.map((v) => ({ name: v.name, ip: v.networks[0]!.ip, hostname: v.hostname, memory: v.provider.memory })),
  ).toEqual(
    layoutHosts('default').map((h) => ({
      name: h.name,
      ip: hostAddress(h, 'vagrant'),
      hostname: `${h.name}.${stand.domain}`,
      memory: h.vagrantMemory,
    })),
  );
  expect(vms.every((v) => v.networks[0]!.type === 'private_network')).toBe(true);
  expect(vms.filter((v) => v.provision).map((v) => v.provision)).toEqual([
    { type: 'ansible', playbook: 'out/site.yml', inventory_path: 'out/inventory/vagrant.yml', limit: 'all' },
  ]);
  expect(vms.map((v) => v.networks[0]!.ip)).toEqual([
    '192.168.50.10',
    '192.168.50.20',
    '192.168.50.101',
    '192.168.50.102',
    '192.168.50.103',
  ]);
});

it("passes Vagrant's own `vagrant validate` (Debian's vagrant package)", async () => {
  const dir = scratchProject();
  expect((await compile(dir)).code).toBe(0);
  fs.copyFileSync(path.join(ROOT, 'Vagrantfile'), path.join(dir, 'Vagrantfile'));
  // Vagrant keeps its state in the project folder and its home; both stay in the scratch copy.
  // --ignore-provider: without VirtualBox on the machine, plain validate stops at 'No usable default provider'.
  const validate = () =>
    execa('vagrant', ['validate', '--ignore-provider'], {
      cwd: dir,
      reject: false,
      env: { VAGRANT_HOME: path.join(dir, '.vagrant.d'), VAGRANT_CHECKPOINT_DISABLE: '1' },
    });
  const r = await validate();
  expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toContain('Vagrantfile validated successfully');
  // A broken Vagrantfile is reported, so the check can fail.
  fs.appendFileSync(path.join(dir, 'Vagrantfile'), '\nVagrant.configure("2") { |c| c.vm.no_such_setting = 1 }\n');
  const bad = await validate();
  expect(bad.exitCode).not.toBe(0);
});
