// The Kubernetes manifests, validated offline: parsed with `yaml` and checked against the
// Kubernetes schemas with `kubernetes-models` (no cluster needed); the Job's segment count
// matches its completions; the Dockerfile uses an official Bun or Deno image.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Service } from "kubernetes-models/v1/Service";

const DIR = fileURLToPath(new URL("../../deploy/kubernetes/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

type Manifest = { kind: string; metadata: { name: string } } & Record<string, unknown>;

function manifests(): Array<{ file: string; object: Manifest }> {
  return readdirSync(DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(DIR + file, "utf8")).map((doc) => {
        assert.deepEqual(doc.errors, [], `${file}: YAML errors`);
        return { file, object: doc.toJS() as Manifest };
      })
    );
}

describe("deploy/kubernetes", () => {
  it("every object is a valid Job, ConfigMap, Deployment or Service", () => {
    const all = manifests();
    assert.ok(all.length >= 2);
    for (const { file, object } of all) {
      if (object.kind === "Job") new Job(object as never).validate();
      else if (object.kind === "ConfigMap") new ConfigMap(object as never).validate();
      else if (object.kind === "Deployment") new Deployment(object as never).validate();
      else if (object.kind === "Service") new Service(object as never).validate();
      else assert.fail(`${file}: unexpected kind ${object.kind}`);
    }
  });

  it("a broken Job is caught by the validation (the check is real)", () => {
    const job = manifests().find((m) => m.object.kind === "Job")!.object as never as {
      spec: Record<string, unknown>;
    };
    const broken = structuredClone(job);
    broken.spec.completions = "three";
    assert.throws(() => new Job(broken as never).validate());
  });

  it("the Job is Indexed, completions = parallelism = N, and args carry --segment $(JOB_COMPLETION_INDEX)/N", () => {
    const job = manifests().find((m) => m.object.kind === "Job")!.object as unknown as {
      spec: {
        completionMode: string;
        completions: number;
        parallelism: number;
        template: {
          spec: {
            containers: Array<{ args: string[]; env?: Array<{ name: string; valueFrom?: unknown }> }>;
            volumes?: Array<{ configMap?: { name: string } }>;
          };
        };
      };
    };
    const spec = job.spec;
    assert.equal(spec.completionMode, "Indexed");
    assert.equal(spec.parallelism, spec.completions);
    const container = spec.template.spec.containers[0];
    const args = container.args;
    const segment = args[args.indexOf("--segment") + 1];
    assert.equal(segment, `$(JOB_COMPLETION_INDEX)/${spec.completions}`);
    const startAt = args[args.indexOf("--start-at") + 1];
    assert.match(startAt, /^\$\((\w+)\)$/);
    const variable = /^\$\((\w+)\)$/.exec(startAt)![1];
    assert.ok(container.env?.some((e) => e.name === variable), `${variable} is defined in the container`);
    assert.equal(args[args.indexOf("--json") + 1], "-", "results as JSON lines on stdout");
    const configMaps = manifests().filter((m) => m.object.kind === "ConfigMap").map((m) =>
      m.object.metadata.name
    );
    assert.ok(spec.template.spec.volumes?.some((v) => v.configMap && configMaps.includes(v.configMap.name)));
  });

  it("every pod sends to the fleet's Prometheus (remote-write receiver on) with the run's label", () => {
    type Container = {
      args: string[];
      env?: Array<{ name: string; valueFrom?: { configMapKeyRef?: { key: string } } }>;
    };
    // deno-lint-ignore no-explicit-any -- plain parsed YAML, checked field by field below
    const all = manifests().map((m) => m.object as unknown as Record<string, any>);
    const job = all.find((o) => o.kind === "Job")!;
    const container = job.spec.template.spec.containers[0] as Container;
    const out = container.args[container.args.indexOf("--out") + 1];
    const variable = /^prometheus=\$\((\w+)\)$/.exec(out)?.[1];
    assert.ok(variable !== undefined, `--out ${out}`);
    const keyOf = (name: string) =>
      container.env?.find((e) => e.name === name)?.valueFrom?.configMapKeyRef?.key;
    const plan = all.find((o) => o.kind === "ConfigMap" && o.metadata.name === "lunge-plan")!;
    const url = new URL(plan.data[keyOf(variable)!]);
    assert.equal(url.pathname, "/api/v1/write");
    assert.ok(plan.data[keyOf("LUNGE_RUN_ID")!], "LUNGE_RUN_ID comes from the plan");
    const service = all.find((o) => o.kind === "Service")!;
    assert.ok(url.hostname.startsWith(`${service.metadata.name}.`), url.hostname);
    assert.equal(url.port, String(service.spec.ports[0].port));
    const prometheus = all.find((o) => o.kind === "Deployment")!;
    assert.ok(
      prometheus.spec.template.spec.containers[0].args.includes("--web.enable-remote-write-receiver"),
    );
  });

  it("the Dockerfile builds on an official Bun or Deno image and runs cli.ts", () => {
    const text = readFileSync(ROOT + "Dockerfile", "utf8");
    assert.match(text, /^FROM (oven\/bun|denoland\/deno):\S+/m);
    assert.match(text, /ENTRYPOINT \[.*cli\.ts"\]/);
  });
});
