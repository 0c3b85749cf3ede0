#!/usr/bin/python3
"""A stand-in for the Application Auto Scaling and CloudWatch endpoints on 127.0.0.1, for the
aws CLI.

Usage: aws_server.py RECORD.jsonl PORTFILE
Answers each Application Auto Scaling call (JSON 1.1, X-Amz-Target:
AnyScaleFrontendService.OPERATION) and each CloudWatch PutMetricAlarm (the query protocol of
Debian's botocore: a form-encoded body with Action=..., answered in XML) with a valid minimal
response, and appends {"operation": ..., "body": ...} to RECORD.jsonl (a query call's body
is its form, each parameter once: {"AlarmName": "...", "Dimensions.member.1.Name": ...}).
Writes the port it listens on to PORTFILE once it is ready. Runs until killed.
"""
import http.server
import json
import sys
import urllib.parse

RESPONSES = {
    "RegisterScalableTarget": {},
    "PutScalingPolicy": {"PolicyARN": "arn:aws:autoscaling:us-east-1:123456789012:"
                                      "scalingPolicy:00000000-0000-0000-0000-000000000000:"
                                      "resource/sagemaker/test"},
    "PutScheduledAction": {},
}


# CloudWatch's query protocol (monitoring.amazonaws.com/doc/2010-08-01).
QUERY_RESPONSES = {"PutMetricAlarm"}


class Handler(http.server.BaseHTTPRequestHandler):
    def query(self, body):
        form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        op = form.pop("Action", "")
        form.pop("Version", None)
        with open(sys.argv[1], "a", encoding="utf-8") as f:
            f.write(json.dumps({"operation": op, "body": form}) + "\n")
        ns = "http://monitoring.amazonaws.com/doc/2010-08-01/"
        if op in QUERY_RESPONSES:
            code = 200
            data = ('<%sResponse xmlns="%s"><ResponseMetadata><RequestId>mmec-test</RequestId>'
                    '</ResponseMetadata></%sResponse>' % (op, ns, op))
        else:
            code = 400
            data = ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>InvalidAction'
                    '</Code><Message>unexpected %s</Message></Error><RequestId>mmec-test'
                    '</RequestId></ErrorResponse>' % (ns, op))
        data = data.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if "X-Amz-Target" not in self.headers:
            self.query(body)
            return
        op = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
        with open(sys.argv[1], "a", encoding="utf-8") as f:
            f.write(json.dumps({"operation": op, "body": json.loads(body or b"{}")}) + "\n")
        if op in RESPONSES:
            code, out = 200, RESPONSES[op]
        else:
            code, out = 400, {"__type": "ValidationException", "message": "unexpected " + op}
        data = json.dumps(out).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
