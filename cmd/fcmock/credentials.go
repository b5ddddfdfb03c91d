package main

import (
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/fcmock/fcmock/internal/fc"
)

// credentialsFile is the shape of --credentials-file (YAML or JSON):
//
//	credentials:
//	  - accessKeyId: AKID...
//	    accessKeySecret: ...
//	    securityToken: STS....   # for temporary (STS) credentials only
type credentialsFile struct {
	Credentials []struct {
		AccessKeyID     string `yaml:"accessKeyId"`
		AccessKeySecret string `yaml:"accessKeySecret"`
		SecurityToken   string `yaml:"securityToken"`
	} `yaml:"credentials"`
}

// loadCredentials gathers the key pairs the mock verifies signatures with: the one from flags
// or environment, plus those of the file. None means signatures are not checked.
func loadCredentials(id, secret, file string) ([]fc.Credentials, error) {
	var out []fc.Credentials
	switch {
	case id != "" && secret != "":
		out = append(out, fc.Credentials{AccessKeyID: id, AccessKeySecret: secret})
	case id != "" || secret != "":
		return nil, fmt.Errorf("--access-key-id and --access-key-secret go together")
	}
	if file == "" {
		return out, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc credentialsFile
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for i, c := range doc.Credentials {
		if c.AccessKeyID == "" || c.AccessKeySecret == "" {
			return nil, fmt.Errorf("%s: credentials[%d]: accessKeyId and accessKeySecret are required", file, i)
		}
		out = append(out, fc.Credentials{AccessKeyID: c.AccessKeyID, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no credentials", file)
	}
	return out, nil
}
