#!/usr/bin/python3
"""A stand-in for the Application Auto Scaling endpoint on 127.0.0.1, for the aws CLI.

Usage: aws_server.py RECORD.jsonl PORTFILE
Answers each JSON 1.1 call (X-Amz-Target: AnyScaleFrontendService.OPERATION) with a valid
minimal response, and appends {"operation": ..., "body": ...} to RECORD.jsonl. Writes the
port it listens on to PORTFILE once it is ready. Runs until killed.
"""
import http.server
import json
import sys

RESPONSES = {
    "RegisterScalableTarget": {},
    "PutScalingPolicy": {"PolicyARN": "arn:aws:autoscaling:us-east-1:123456789012:"
                                      "scalingPolicy:00000000-0000-0000-0000-000000000000:"
                                      "resource/sagemaker/test"},
    "PutScheduledAction": {},
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
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
