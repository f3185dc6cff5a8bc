"""Seed moto with the AWS account a student has after the course's CloudFormation stack. Idempotent.

Creates, each only when missing: the EC2 key pair (imported from the sandbox host key's public part) with
its private key as SSM SecureString /ec2/keypair/<KeyPairId>, the IAM role <uid>-ec2-access-role (trust:
ec2.amazonaws.com only) and its instance profile, the bucket user-<uid>-bucket, the provisioned MSK
cluster (Kafka 2.8.1, 3 brokers, default-VPC subnets), the EC2 client instance and the API Gateway REST API.
Prints one line: what was created and what was already there.

usage: python seed_aws.py --endpoint URL --private-key PEM_FILE [--region us-east-1] [--user 12b287eedf6d]
       python seed_aws.py --endpoint URL --role-only --user UID   (the role and instance profile alone: the
       extra hosts' users of a multi-host sandbox, which share the first user's account, cluster and key pair)
"""
import argparse
import json
import subprocess
import sys

import boto3
from botocore.exceptions import ClientError


def error_code(e: ClientError) -> str:
    return e.response.get("Error", {}).get("Code", "")


class Seeder:
    def __init__(self, endpoint: str, region: str, uid: str, private_key_file: str):
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        )
        self.client = lambda name: session.client(name, endpoint_url=endpoint)
        self.uid = uid
        self.private_key_file = private_key_file
        self.report: list[str] = []

    def note(self, what: str, created: bool) -> None:
        self.report.append(f"{what}={'created' if created else 'ok'}")

    def key_pair(self) -> None:
        ec2, ssm = self.client("ec2"), self.client("ssm")
        name = f"{self.uid}-key-pair"
        with open(self.private_key_file, encoding="utf-8") as f:
            private_key = f.read()
        try:
            pair = ec2.describe_key_pairs(KeyNames=[name])["KeyPairs"][0]
            created = False
        except ClientError as e:
            if error_code(e) != "InvalidKeyPair.NotFound":
                raise
            public_key = subprocess.run(
                ["ssh-keygen", "-y", "-f", self.private_key_file], check=True, capture_output=True
            ).stdout
            pair = ec2.import_key_pair(KeyName=name, PublicKeyMaterial=public_key)
            created = True
        self.note("key-pair", created)

        parameter = f"/ec2/keypair/{pair['KeyPairId']}"
        try:
            current = ssm.get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
        except ClientError as e:
            if error_code(e) != "ParameterNotFound":
                raise
            current = None
        if current != private_key:
            ssm.put_parameter(Name=parameter, Value=private_key, Type="SecureString", Overwrite=True)
        self.note("ssm-parameter", current != private_key)

    def role(self) -> str:
        iam = self.client("iam")
        name = f"{self.uid}-ec2-access-role"
        try:
            iam.get_role(RoleName=name)
            created = False
        except ClientError as e:
            if error_code(e) != "NoSuchEntity":
                raise
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
            iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(trust),
                Description="EC2 Kafka client role (pinctl sandbox)",
            )
            created = True
        self.note("role", created)
        try:
            iam.get_instance_profile(InstanceProfileName=name)
        except ClientError as e:
            if error_code(e) != "NoSuchEntity":
                raise
            iam.create_instance_profile(InstanceProfileName=name)
            iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
        return name

    def bucket(self) -> None:
        s3 = self.client("s3")
        name = f"user-{self.uid}-bucket"
        try:
            s3.head_bucket(Bucket=name)
            created = False
        except ClientError as e:
            if error_code(e) not in ("404", "NoSuchBucket", "NotFound"):
                raise
            s3.create_bucket(Bucket=name)
            created = True
        self.note("bucket", created)

    def default_network(self) -> tuple[list[str], str]:
        ec2 = self.client("ec2")
        vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        subnets = ec2.describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default-for-az", "Values": ["true"]}]
        )["Subnets"]
        subnets.sort(key=lambda s: s["AvailabilityZone"])
        group = ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"][0]["GroupId"]
        return [s["SubnetId"] for s in subnets[:3]], group

    def cluster(self, subnets: list[str], group: str) -> None:
        kafka = self.client("kafka")
        name = "pinterest-msk-cluster"
        found = kafka.list_clusters_v2(ClusterNameFilter=name)["ClusterInfoList"]
        created = not any(c["ClusterName"] == name for c in found)
        if created:
            kafka.create_cluster_v2(
                ClusterName=name,
                Provisioned={
                    "BrokerNodeGroupInfo": {
                        "InstanceType": "kafka.m5.large",
                        "ClientSubnets": subnets,
                        "SecurityGroups": [group],
                    },
                    "KafkaVersion": "2.8.1",
                    "NumberOfBrokerNodes": 3,
                    "ClientAuthentication": {"Sasl": {"Iam": {"Enabled": True}}},
                },
            )
        self.note("msk-cluster", created)

    def instance(self, role: str, subnets: list[str], group: str) -> None:
        ec2 = self.client("ec2")
        name = f"{self.uid}-ec2-client"
        reservations = ec2.describe_instances(
            Filters=[
                {"Name": "tag:Name", "Values": [name]},
                {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]},
            ]
        )["Reservations"]
        created = not any(r["Instances"] for r in reservations)
        if created:
            images = ec2.describe_images(
                Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*-x86_64-gp2"]}]
            )["Images"] or ec2.describe_images()["Images"]
            ec2.run_instances(
                ImageId=images[0]["ImageId"],
                InstanceType="t2.micro",
                MinCount=1,
                MaxCount=1,
                KeyName=f"{self.uid}-key-pair",
                IamInstanceProfile={"Name": role},
                SubnetId=subnets[0],
                SecurityGroupIds=[group],
                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}],
            )
        self.note("instance", created)

    def rest_api(self) -> None:
        apigw = self.client("apigateway")
        apis = apigw.get_rest_apis(limit=500)["items"]
        created = not any(a["name"] == self.uid for a in apis)
        if created:
            apigw.create_rest_api(
                name=self.uid, description="Pinterest data pipeline API", endpointConfiguration={"types": ["REGIONAL"]}
            )
        self.note("rest-api", created)

    def run(self) -> str:
        self.key_pair()
        role = self.role()
        self.bucket()
        subnets, group = self.default_network()
        self.cluster(subnets, group)
        self.instance(role, subnets, group)
        self.rest_api()
        return " ".join(self.report)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--private-key")
    parser.add_argument("--role-only", action="store_true")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--user", default="12b287eedf6d")
    args = parser.parse_args()
    seeder = Seeder(args.endpoint, args.region, args.user, args.private_key)
    if args.role_only:
        seeder.role()
        print(" ".join(seeder.report))
        return 0
    if not args.private_key:
        parser.error("--private-key is required (unless --role-only)")
    print(seeder.run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
