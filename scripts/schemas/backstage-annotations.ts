/**
 * Well-known Backstage annotations for hovers. Where `@backstage/catalog-model` declares an
 * annotation with a description, the build takes the package's text instead of the one here.
 */

export interface AnnotationSpec {
  name: string;
  description: string;
  docs: string;
  /** Kinds the annotation is meant for, when it is not for any kind. */
  appliesTo?: string[];
}

const WELL_KNOWN = 'https://backstage.io/docs/features/software-catalog/well-known-annotations';
const KUBERNETES = 'https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity';
const COMMUNITY = 'https://github.com/backstage/community-plugins/tree/main/workspaces';

/** `backstage.io/techdocs-ref` → the heading anchor on the well-known annotations page. */
function wk(name: string): string {
  return `${WELL_KNOWN}#${name.replace(/[./]/g, '')}`;
}

export const WELL_KNOWN_ANNOTATIONS: AnnotationSpec[] = [
  // catalog bookkeeping (descriptions come from @backstage/catalog-model)
  { name: 'backstage.io/managed-by-location', description: 'The location the catalog reads this entity from and keeps it updated from.', docs: wk('backstage.io/managed-by-location') },
  { name: 'backstage.io/managed-by-origin-location', description: 'The location that first led the catalog to this entity.', docs: wk('backstage.io/managed-by-origin-location') },
  { name: 'backstage.io/source-location', description: "Where the entity's source lives, e.g. `url:https://github.com/org/repo/tree/main/`.", docs: wk('backstage.io/source-location') },
  { name: 'backstage.io/orphan', description: 'Set by the catalog to "true" when no location references the entity any more.', docs: wk('backstage.io/orphan') },
  { name: 'backstage.io/view-url', description: 'A URL where the entity descriptor can be viewed, shown as the "View source" link.', docs: wk('backstage.io/view-url') },
  { name: 'backstage.io/edit-url', description: 'A URL where the entity descriptor can be edited, shown as the "Edit" link.', docs: wk('backstage.io/edit-url') },
  { name: 'backstage.io/source-template', description: 'Entity ref of the Software Template that created this entity; set by the scaffolder.', docs: wk('backstage.io/source-template') },
  // TechDocs
  { name: 'backstage.io/techdocs-ref', description: 'Where TechDocs finds the documentation (the folder with `mkdocs.yml`), e.g. `dir:.` or `url:https://github.com/org/repo/tree/main/docs`.', docs: wk('backstage.io/techdocs-ref') },
  { name: 'backstage.io/techdocs-entity', description: 'Entity ref of another entity whose TechDocs this entity shows instead of its own.', docs: wk('backstage.io/techdocs-entity') },
  // Kubernetes plugin
  { name: 'backstage.io/kubernetes-id', description: 'Shows Kubernetes objects labelled `backstage.io/kubernetes-id=<this value>` on the entity page.', docs: KUBERNETES },
  { name: 'backstage.io/kubernetes-namespace', description: "Limits the Kubernetes plugin's lookup to this namespace.", docs: KUBERNETES },
  { name: 'backstage.io/kubernetes-label-selector', description: 'A Kubernetes label selector (e.g. `app=my-app,component=front-end`) used instead of `backstage.io/kubernetes-id` to find the objects.', docs: KUBERNETES },
  { name: 'backstage.io/kubernetes-cluster', description: 'Limits the Kubernetes plugin to the cluster of this name from the app config.', docs: KUBERNETES },
  // source control and CI
  { name: 'github.com/project-slug', description: 'The `owner/repository` of the GitHub repository, used by the GitHub Actions, pull request and insights plugins.', docs: wk('github.com/project-slug') },
  { name: 'github.com/team-slug', description: 'The `organization/team` of the GitHub team this Group corresponds to.', docs: wk('github.com/team-slug'), appliesTo: ['Group'] },
  { name: 'github.com/user-login', description: 'The GitHub login of this User.', docs: wk('github.com/user-login'), appliesTo: ['User'] },
  { name: 'gitlab.com/project-id', description: 'The numeric ID of the GitLab project, used by the GitLab plugin.', docs: `${COMMUNITY}/gitlab` },
  { name: 'gitlab.com/project-slug', description: 'The `group/project` path of the GitLab project, used by the GitLab plugin.', docs: `${COMMUNITY}/gitlab` },
  { name: 'dev.azure.com/project-repo', description: 'The `project/repository` in Azure DevOps, used by the Azure DevOps plugin.', docs: `${COMMUNITY}/azure-devops` },
  { name: 'jenkins.io/job-full-name', description: 'The full name of the Jenkins job (`folder/job`), optionally prefixed by an instance name and a colon.', docs: wk('jenkins.io/job-full-name') },
  { name: 'circleci.com/project-slug', description: 'The CircleCI project as `vcs/organization/repository`, e.g. `github/my-org/my-repo`.', docs: wk('circleci.com/project-slug') },
  { name: 'argocd/app-name', description: 'The name of the Argo CD Application that deploys this entity, for the Argo CD plugin.', docs: 'https://roadie.io/backstage/plugins/argo-cd/' },
  { name: 'argocd/app-selector', description: 'A label selector for the Argo CD Applications that deploy this entity, used instead of `argocd/app-name`.', docs: 'https://roadie.io/backstage/plugins/argo-cd/' },
  // code quality and security
  { name: 'sonarqube.org/project-key', description: 'The SonarQube project key, optionally prefixed by an instance name and a slash, for the SonarQube plugin.', docs: wk('sonarqube.org/project-key') },
  { name: 'snyk.io/org-name', description: 'The Snyk organization that holds this entity\u2019s projects, for the Snyk plugin.', docs: 'https://github.com/snyk-tech-services/backstage-plugin-snyk' },
  // incidents and on-call
  { name: 'pagerduty.com/service-id', description: 'The PagerDuty service ID, used by the PagerDuty plugin to show incidents and on-call.', docs: `${COMMUNITY}/pagerduty` },
  { name: 'pagerduty.com/integration-key', description: 'The PagerDuty Events API integration key, used by the PagerDuty plugin to find the service and to trigger incidents.', docs: `${COMMUNITY}/pagerduty` },
  { name: 'opsgenie.com/component-selector', description: 'An Opsgenie search query that selects the alerts and incidents of this entity, for the Opsgenie plugin.', docs: `${COMMUNITY}/opsgenie` },
  { name: 'opsgenie.com/team', description: 'The Opsgenie team responsible for this entity, for the Opsgenie plugin.', docs: `${COMMUNITY}/opsgenie` },
  // observability
  { name: 'sentry.io/project-slug', description: 'The Sentry project slug (optionally `organization/project`), for the Sentry plugin.', docs: wk('sentry.io/project-slug') },
  { name: 'rollbar.com/project-slug', description: 'The Rollbar project as `organization/project`, for the Rollbar plugin.', docs: wk('rollbar.com/project-slug') },
  { name: 'grafana/dashboard-selector', description: 'A query that selects the Grafana dashboards shown for this entity, e.g. `tags @> \'my-service\'`.', docs: `${COMMUNITY}/grafana` },
  { name: 'grafana/alert-label-selector', description: 'A Grafana alert label selector (`label=value`) for the alerts shown on the entity page.', docs: `${COMMUNITY}/grafana` },
  { name: 'newrelic.com/dashboard-guid', description: 'The GUID of the New Relic dashboard shown for this entity.', docs: `${COMMUNITY}/newrelic` },
  { name: 'datadoghq.com/dashboard-url', description: 'The public URL of the Datadog dashboard embedded on the entity page.', docs: 'https://roadie.io/backstage/plugins/datadog/' },
  { name: 'lighthouse.com/website-url', description: 'The URL of the website the Lighthouse plugin audits.', docs: `${COMMUNITY}/lighthouse` },
  // architecture decisions
  { name: 'backstage.io/adr-location', description: 'Path (relative to the source location) of the folder with the Architecture Decision Records, for the ADR plugin.', docs: `${COMMUNITY}/adr` },
];
