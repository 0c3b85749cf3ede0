/* floor_cjson.c: a benchmark floor: cJSON building and printing the objects mmec emits for a
 * corpus of one-line policies (`scale NAME on gpu avg 50% cooldown in 10m out 5m`, and the
 * mixed corpus's cpu, memory and `invocations N per instance`), one compact object per line,
 * and nothing else: the endpoint name and the metric word are cut from each line with strchr,
 * the value read with strtol; no scanner, no checker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* The keyword metrics of the corpora: a utilization (CustomizedMetricSpecification) or
 * SageMakerVariantInvocationsPerInstance (PredefinedMetricSpecification). */
static const char *metric_name(const char *word) {
    return strcmp(word, "gpu") == 0 ? "GPUUtilization"
         : strcmp(word, "cpu") == 0 ? "CPUUtilization"
         : strcmp(word, "memory") == 0 ? "MemoryUtilization" : NULL;
}

static cJSON *policy(const char *endpoint, const char *metric, long value) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "TargetValue", (double)value);
    if (metric == NULL) {
        cJSON *spec = cJSON_AddObjectToObject(root, "PredefinedMetricSpecification");
        cJSON_AddStringToObject(spec, "PredefinedMetricType",
                                "SageMakerVariantInvocationsPerInstance");
    } else {
        cJSON *spec = cJSON_AddObjectToObject(root, "CustomizedMetricSpecification");
        cJSON_AddStringToObject(spec, "MetricName", metric);
        cJSON_AddStringToObject(spec, "Namespace", "/aws/sagemaker/Endpoints");
        cJSON *dims = cJSON_AddArrayToObject(spec, "Dimensions");
        cJSON *d = cJSON_CreateObject();
        cJSON_AddItemToArray(dims, d);
        cJSON_AddStringToObject(d, "Name", "EndpointName");
        cJSON_AddStringToObject(d, "Value", endpoint);
        d = cJSON_CreateObject();
        cJSON_AddItemToArray(dims, d);
        cJSON_AddStringToObject(d, "Name", "VariantName");
        cJSON_AddStringToObject(d, "Value", "AllTraffic");
        cJSON_AddStringToObject(spec, "Statistic", "Average");
        cJSON_AddStringToObject(spec, "Unit", "Percent");
    }
    cJSON_AddNumberToObject(root, "ScaleInCooldown", 600);
    cJSON_AddNumberToObject(root, "ScaleOutCooldown", 300);
    return root;
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL)
        return 1;
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *name = strchr(line, ' ');
        if (name == NULL)
            continue;
        name++;
        char *end = strchr(name, ' ');
        if (end == NULL)
            continue;
        *end = '\0';
        /* "on WORD": the metric word, then the first number after it. */
        char *word = end + 4;
        char *wend = strchr(word, ' ');
        if (wend == NULL)
            continue;
        *wend = '\0';
        char *num = wend + 1;
        while (*num && (*num < '0' || *num > '9'))
            num++;
        cJSON *p = policy(name, metric_name(word), strtol(num, NULL, 10));
        char *text = cJSON_PrintUnformatted(p);
        fputs(text, stdout);
        fputc('\n', stdout);
        cJSON_free(text);
        cJSON_Delete(p);
    }
    fclose(f);
    return 0;
}
