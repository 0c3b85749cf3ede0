-- expect: error "'os' is not available in hooks"
return { check = function(p, t, report) report.error(os.getenv('AWS_SECRET_ACCESS_KEY')) end }
