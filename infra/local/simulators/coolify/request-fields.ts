import type { SimApplicationSource } from './model.js';
import type { FieldType } from './validation.js';

// Which request fields Coolify accepts, requires and types how, copied from the request bodies in its
// openapi.yaml: the simulator rejects what the real API would, so client bugs show up locally.

// biome-ignore format: data table
const BOOLEAN_FIELDS = new Set([
  'is_static', 'is_spa', 'is_auto_deploy_enabled', 'is_force_https_enabled', 'is_preview_deployments_enabled',
  'health_check_enabled', 'instant_deploy', 'use_build_secrets', 'is_git_submodules_enabled', 'is_git_lfs_enabled',
  'is_git_shallow_clone_enabled', 'disable_build_cache', 'inject_build_args_to_dockerfile',
  'include_source_commit_in_build', 'is_env_sorting_enabled', 'is_pr_deployments_public_enabled', 'is_gzip_enabled',
  'is_stripprefix_enabled', 'is_raw_compose_deployment_enabled', 'is_log_drain_enabled', 'is_gpu_enabled',
  'is_consistent_container_name_enabled', 'is_http_basic_auth_enabled', 'connect_to_docker_network',
  'force_domain_override', 'autogenerate_domain', 'is_container_label_escape_enabled',
  'is_preserve_repository_enabled', 'use_build_server',
]);
// biome-ignore format: data table
const INTEGER_FIELDS = new Set([
  'health_check_return_code', 'health_check_interval', 'health_check_timeout', 'health_check_retries',
  'health_check_start_period', 'limits_memory_swappiness', 'limits_cpu_shares', 'docker_images_to_keep',
  'max_restart_count', 'stop_grace_period',
]);
const ARRAY_FIELDS = new Set(['noindex_domains', 'docker_compose_domains', 'tags']);
// biome-ignore format: data table
export const NULLABLE_FIELDS = new Set([
  'health_check_port', 'health_check_host', 'health_check_response_text', 'limits_cpuset', 'redirect', 'gpu_driver',
  'gpu_count', 'gpu_device_ids', 'gpu_options', 'custom_internal_name', 'http_basic_auth_username',
  'http_basic_auth_password', 'use_build_server', 'stop_grace_period', 'domains', 'health_check_command',
  'custom_network_aliases', 'custom_nginx_configuration',
]);

/** Fields `POST /applications/dockerimage` accepts. */
// biome-ignore format: data table
const DOCKERIMAGE_FIELDS = [
  'project_uuid', 'server_uuid', 'environment_name', 'environment_uuid', 'docker_registry_image_name',
  'docker_registry_image_tag', 'ports_exposes', 'destination_uuid', 'name', 'description', 'domains',
  'noindex_domains', 'ports_mappings', 'health_check_enabled', 'health_check_path', 'health_check_port',
  'health_check_host', 'health_check_method', 'health_check_return_code', 'health_check_scheme',
  'health_check_response_text', 'health_check_interval', 'health_check_timeout', 'health_check_retries',
  'health_check_start_period', 'limits_memory', 'limits_memory_swap', 'limits_memory_swappiness',
  'limits_memory_reservation', 'limits_cpus', 'limits_cpuset', 'limits_cpu_shares', 'custom_labels',
  'custom_docker_run_options', 'post_deployment_command', 'post_deployment_command_container',
  'pre_deployment_command', 'pre_deployment_command_container', 'manual_webhook_secret_github',
  'manual_webhook_secret_gitlab', 'manual_webhook_secret_bitbucket', 'manual_webhook_secret_gitea', 'redirect',
  'instant_deploy', 'is_force_https_enabled', 'is_preview_deployments_enabled', 'use_build_server',
  'use_build_secrets', 'is_git_submodules_enabled', 'is_git_lfs_enabled', 'is_git_shallow_clone_enabled',
  'disable_build_cache', 'inject_build_args_to_dockerfile', 'include_source_commit_in_build',
  'is_env_sorting_enabled', 'is_pr_deployments_public_enabled', 'stop_grace_period', 'docker_images_to_keep',
  'is_gzip_enabled', 'is_stripprefix_enabled', 'is_raw_compose_deployment_enabled', 'is_log_drain_enabled',
  'is_gpu_enabled', 'gpu_driver', 'gpu_count', 'gpu_device_ids', 'gpu_options',
  'is_consistent_container_name_enabled', 'custom_internal_name', 'preview_url_template', 'max_restart_count',
  'is_http_basic_auth_enabled', 'http_basic_auth_username', 'http_basic_auth_password',
  'connect_to_docker_network', 'force_domain_override', 'autogenerate_domain',
  'is_container_label_escape_enabled', 'tags',
];
/** Extra fields the git endpoints (`public`, `private-deploy-key`) accept. */
// biome-ignore format: data table
const GIT_FIELDS = [
  'git_repository', 'git_branch', 'build_pack', 'git_commit_sha', 'is_static', 'is_spa', 'is_auto_deploy_enabled',
  'static_image', 'install_command', 'build_command', 'start_command', 'base_directory', 'publish_directory',
  'dockerfile', 'dockerfile_location', 'docker_compose_location', 'docker_compose_custom_start_command',
  'docker_compose_custom_build_command', 'docker_compose_domains', 'watch_paths', 'is_preserve_repository_enabled',
];

export const CREATE_RULES: Record<SimApplicationSource, { allowed: Set<string>; required: string[] }> = {
  dockerimage: {
    allowed: new Set(DOCKERIMAGE_FIELDS),
    required: ['project_uuid', 'server_uuid', 'docker_registry_image_name'],
  },
  public: {
    allowed: new Set([...DOCKERIMAGE_FIELDS, ...GIT_FIELDS]),
    required: ['project_uuid', 'server_uuid', 'git_repository', 'git_branch', 'build_pack'],
  },
  'private-deploy-key': {
    allowed: new Set([...DOCKERIMAGE_FIELDS, ...GIT_FIELDS, 'private_key_uuid']),
    required: [
      'project_uuid',
      'server_uuid',
      'private_key_uuid',
      'git_repository',
      'git_branch',
      'build_pack',
    ],
  },
};
/**
 * Fields `PATCH /applications/{uuid}` accepts: the controller's list (ApplicationsController::update_by_uuid
 * at the spec's commit), not the spec's, which also names project_uuid, server_uuid, environment_name,
 * github_app_uuid, destination_uuid and dockerfile that the controller answers 422 for.
 */
// biome-ignore format: data table
export const UPDATE_FIELDS = new Set([
  'name', 'description', 'is_static', 'is_spa', 'is_auto_deploy_enabled', 'is_force_https_enabled',
  'is_preview_deployments_enabled', 'domains', 'noindex_domains', 'git_repository', 'git_branch', 'git_commit_sha',
  'docker_registry_image_name', 'docker_registry_image_tag', 'build_pack', 'static_image', 'install_command',
  'build_command', 'start_command', 'ports_exposes', 'ports_mappings', 'custom_network_aliases', 'base_directory',
  'publish_directory', 'health_check_enabled', 'health_check_type', 'health_check_command', 'health_check_path',
  'health_check_port', 'health_check_host', 'health_check_method', 'health_check_return_code',
  'health_check_scheme', 'health_check_response_text', 'health_check_interval', 'health_check_timeout',
  'health_check_retries', 'health_check_start_period', 'limits_memory', 'limits_memory_swap',
  'limits_memory_swappiness', 'limits_memory_reservation', 'limits_cpus', 'limits_cpuset', 'limits_cpu_shares',
  'custom_labels', 'custom_docker_run_options', 'post_deployment_command', 'post_deployment_command_container',
  'pre_deployment_command', 'pre_deployment_command_container', 'watch_paths', 'manual_webhook_secret_github',
  'manual_webhook_secret_gitlab', 'manual_webhook_secret_bitbucket', 'manual_webhook_secret_gitea',
  'dockerfile_location', 'dockerfile_target_build', 'docker_compose_location', 'docker_compose_custom_start_command',
  'docker_compose_custom_build_command', 'docker_compose_domains', 'redirect', 'instant_deploy', 'use_build_server',
  'use_build_secrets', 'custom_nginx_configuration', 'is_http_basic_auth_enabled', 'http_basic_auth_username',
  'http_basic_auth_password', 'connect_to_docker_network', 'force_domain_override',
  'is_container_label_escape_enabled', 'is_preserve_repository_enabled', 'preview_url_template',
  'max_restart_count', 'is_git_submodules_enabled', 'is_git_lfs_enabled', 'is_git_shallow_clone_enabled',
  'disable_build_cache', 'inject_build_args_to_dockerfile', 'include_source_commit_in_build',
  'is_env_sorting_enabled', 'is_pr_deployments_public_enabled', 'stop_grace_period', 'docker_images_to_keep',
  'is_gzip_enabled', 'is_stripprefix_enabled', 'is_raw_compose_deployment_enabled', 'is_log_drain_enabled',
  'is_gpu_enabled', 'gpu_driver', 'gpu_count', 'gpu_device_ids', 'gpu_options',
  'is_consistent_container_name_enabled', 'custom_internal_name',
]);
export const ENUMS: Record<string, readonly string[]> = {
  build_pack: ['nixpacks', 'railpack', 'static', 'dockerfile', 'dockercompose'],
  static_image: ['nginx:alpine'],
  redirect: ['www', 'non-www', 'both'],
};
// biome-ignore format: data table
export const ENV_FIELDS = [
  'key', 'value', 'is_preview', 'is_literal', 'is_multiline', 'is_shown_once', 'is_runtime', 'is_buildtime',
];
export const ENV_BOOLEANS = ENV_FIELDS.slice(2);

/** An application field's type; fields in none of the typed tables are strings. */
export function fieldType(field: string): FieldType {
  return BOOLEAN_FIELDS.has(field)
    ? 'boolean'
    : INTEGER_FIELDS.has(field)
      ? 'integer'
      : ARRAY_FIELDS.has(field)
        ? 'array'
        : 'string';
}
