# Level 3: two calls of the next level.
module "left" {
  source = "../m4"
}

module "right" {
  source = "../m4"
}
