/** The commented starter `.paved-road.yaml` written by "Create Platform Config". It is valid as is. */
export const STARTER_CONFIG = `# Paved Road platform config: which schemas, policies, templates and
# environments this repository uses. Every key is described in the Paved Road README
# ("The platform config"); the editor checks this file as you type.
version: 1

# JSON Schemas for your team's own manifests, by file glob (relative to this file).
schemas: []
#  - files: "deploy/**/*.yaml"
#    schema: ./schemas/deploy.schema.json
#    description: Our deploy descriptors

policies:
  # Where your team's policies come from: { path: … }, { git: …, ref: … } or { url: … }.
  sources: []
  # Severity overrides by rule id: error, warning, info or off.
  rules: {}

templates:
  # Golden-path templates besides the built-in ones.
  sources: []

# github:
#   apiUrl: https://github.example.com/api/v3   # GitHub Enterprise Server

# environments:
#   production:
#     prometheus:
#       url: https://prometheus.example.com
#     kubernetes:
#       context: prod-eu-1
#       namespace: payments
`;
